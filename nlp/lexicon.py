"""Phrase lists for the non-material entity types, each phrase mapped to a normalised key.

Written for this project as general materials-science vocabulary. One line per concept:
the first phrase is the canonical form, the rest are synonyms or abbreviations
("x-ray diffraction | XRD"). Phrases with a capital letter are matched case-sensitively,
the others case-insensitively; plurals of the last word are generated when the lexicon is built.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

# Symmetry and phase labels (MatScholar SPL).
SPL = """
cubic | fcc | f.c.c. | bcc | b.c.c. | face-centered cubic | body-centered cubic | simple cubic
tetragonal
orthorhombic
hexagonal | hcp | h.c.p. | hexagonal close-packed
monoclinic
triclinic
rhombohedral
trigonal
anatase
rutile
brookite
wurtzite | hexagonal wurtzite
zinc blende | zincblende | zinc-blende | sphalerite
rock salt | rocksalt | rock-salt | nacl-type
perovskite | double perovskite
spinel | inverse spinel | cubic spinel | thiospinel
olivine
fluorite
garnet
pyrochlore
chalcopyrite
delafossite
skutterudite
ruddlesden-popper
brownmillerite
scheelite
wolframite
corundum-type
calcite-type
cotunnite
weberite
layered rock salt
nasicon | NASICON
austenite | austenitic
martensite | martensitic
ferrite phase
pearlite | pearlitic
bainite | bainitic
ferritic
laves phase
heusler | full heusler | half heusler | half-heusler
kagome
quasicrystal | quasicrystalline
"""

# Sample descriptors: form, morphology, dimensionality, doping state (MatScholar DSC).
DSC = """
thin film | thin-film
film
ultrathin film
epitaxial film
multilayer film
nanoparticle | NP | NPs
nanocrystal | NC | NCs
nanowire | NW | NWs
nanorod | NR | NRs
nanotube | NT
nanobelt
nanosheet
nanoplate
nanoplatelet
nanoflake
nanofiber | nanofibre
nanoflower
nanocube
nanosphere
nanodot
nanoribbon
nanoneedle
nanopillar
nanocone
nanocage
nanoframe
nanoprism
nanostructure
nanocomposite
nanopowder
nanocrystallite
nanocluster
nanocrystalline
nanostructured
nanoporous
nanosized | nano-sized | nanoscale
quantum dot | QD | QDs
microsphere
microrod
microwire
microcrystal
microflower
hollow sphere
hollow microsphere
core-shell
core-shell nanoparticle
yolk-shell
single crystal | single-crystal
single crystalline | single-crystalline | monocrystalline
polycrystalline | polycrystal
bulk
powder
ceramic
glass-ceramic
alloy
composite
matrix
substrate
buffer layer
seed layer
layer
bilayer
trilayer
multilayer
monolayer
interlayer
heterostructure
heterojunction
superlattice
interface
surface
epilayer
wafer
pellet
ribbon
foil
wire
whisker
fiber | fibre
membrane
foam
particle
crystal
crystallite
precipitate
cluster
solid solution
amorphous
crystalline
mesoporous
macroporous
microporous
porous
doped
co-doped | codoped
undoped | non-doped
heavily doped
lightly doped
substituted
co-substituted
as-prepared
as-synthesized
as-deposited
as-grown
as-cast
as-received
as-obtained
as-spun
layered
two-dimensional | 2D | 2-D
one-dimensional | 1D | 1-D
3D | 3-D
zero-dimensional | 0D
stoichiometric
non-stoichiometric | nonstoichiometric | off-stoichiometric
sub-stoichiometric | substoichiometric
single-phase | single phase
multiphase
glassy
bulk metallic glass
metallic glass
free-standing
self-assembled
textured
flower-like | flowerlike
rod-like
sheet-like
plate-like
"""

# Properties (MatScholar PRO).
PRO = """
thermoelectric
magnetism
elastic properties
tensile properties
wear behavior
magnetic behavior
oxidation behavior
band gap | bandgap | band-gap | energy gap | Eg | optical band gap | band gap energy
band structure | electronic band structure
electronic structure
point defect
crystal structure
density of states | DOS
fermi level
work function
conduction band
valence band
conductivity
electrical conductivity | electronic conductivity
ionic conductivity
thermal conductivity | lattice thermal conductivity
resistivity | electrical resistivity
sheet resistance
magnetoresistance | MR
seebeck coefficient | thermopower | thermoelectric power
power factor
figure of merit | ZT | zT
carrier concentration | carrier density
hole concentration
electron concentration
mobility | carrier mobility | hall mobility
hall coefficient
capacity | specific capacity | discharge capacity | charge capacity | reversible capacity
capacity retention
rate capability
cycling stability | cyclic stability | cycle stability | cyclability
coulombic efficiency
specific capacitance
capacitance
energy density
power density | peak power density | maximum power density
area-specific resistance | area specific resistance | ASR
polarization resistance | polarisation resistance
ohmic resistance
efficiency
power conversion efficiency | PCE
conversion efficiency
quantum efficiency | external quantum efficiency | EQE | internal quantum efficiency | IQE
open-circuit voltage | open circuit voltage | Voc | VOC | OCV | open-circuit potential | open circuit potential
short-circuit current | short-circuit current density | Jsc | JSC
fill factor | FF
curie temperature | curie point
neel temperature | néel temperature | TN
critical temperature | Tc | TC | critical transition temperature
transition temperature
superconducting transition temperature
glass transition temperature | Tg
melting point | melting temperature | Tm
blocking temperature
superconductivity
superconducting
ferromagnetism
antiferromagnetic
antiferromagnetism
ferrimagnetic
paramagnetic
superparamagnetic
diamagnetic
ferroelectric
ferroelectricity
antiferroelectric
piezoelectric
piezoelectricity
multiferroic
magnetoelectric
magnetization | magnetisation | saturation magnetization | Ms
remanent magnetization | remanence
magnetic moment
magnetic anisotropy | anisotropy
magnetic susceptibility | susceptibility
magnetic ordering | magnetic order
magnetic structure
magnetostriction
magnetocaloric effect
coercivity | coercive field | Hc
polarization | remanent polarization | spontaneous polarization
piezoelectric coefficient | d33
dielectric constant | permittivity | relative permittivity
dielectric loss | loss tangent
dielectric properties
dielectric
hardness | microhardness | micro-hardness | nanohardness | vickers hardness
young's modulus | elastic modulus | young modulus
bulk modulus
shear modulus
elastic constants
fracture toughness
toughness
tensile strength | ultimate tensile strength | UTS
yield strength
compressive strength
flexural strength | bending strength
strength
ductility
elongation
plasticity
stiffness
wear resistance
wear rate
friction coefficient | coefficient of friction
corrosion resistance
corrosion behavior
oxidation resistance
thermal stability
chemical stability
stability
thermal expansion | thermal expansion coefficient | coefficient of thermal expansion | CTE
heat capacity | specific heat
density
relative density
porosity
surface area | specific surface area | BET surface area
pore size
pore volume
grain size
particle size
crystallite size
crystallinity
lattice parameter | lattice constant
crystal structure
microstructure
nanostructure evolution
morphology | surface morphology
surface roughness | roughness
composition | chemical composition | phase composition
stoichiometry
phase transition | phase transformation
phase diagram
phase stability
oxygen vacancy
dislocation density
grain boundary
residual stress
adhesion
transmittance | optical transmittance
transparency
reflectance
absorbance
absorption coefficient
refractive index
photoluminescence intensity
optical properties
electrical properties
magnetic properties
mechanical properties
thermal properties
thermoelectric properties
electrochemical properties
electronic properties
structural properties
physical properties
transport properties
tribological properties
photocatalytic activity | photocatalytic performance | photocatalytic properties
catalytic activity | catalytic performance
electrocatalytic activity
electrochemical performance
thermoelectric performance
activation energy
formation energy
binding energy
adsorption energy
enthalpy
entropy
structural
metallic
insulating
semiconducting
semiconductor
half-metallic
n-type
p-type
bipolar
conductive
transparent
hydrophobic
superhydrophobic
hydrophilic
brittle
ductile
metastable
valence | valence state
oxidation state
spin-orbit coupling
photoresponse
selectivity
overpotential
tafel slope
exchange current density
current density
leakage current
breakdown field
barrier height
superelasticity
shape memory | shape memory effect
glass forming ability | glass-forming ability | GFA
wettability
durability
sinterability
reversibility
transconductance
crystal chemistry
defect chemistry
exchange interaction | exchange coupling
magnetic entropy change | magnetic entropy
damping capacity
poisson's ratio | poisson ratio
diffusion coefficient | diffusivity
creep resistance
thermal shock resistance
friction
metal-insulator transition | metal–insulator transition | MIT
spin glass
charge ordering
effective mass
ionization potential
electron affinity
dipole moment
quantum yield
photocurrent
dark current
responsivity
detectivity
gas response
stacking fault energy | stacking-fault energy
urbach energy
debye temperature
fermi surface
phonon dispersion
exciton binding energy
carrier lifetime
"""

# Applications (MatScholar APL).
APL = """
solar cell | photovoltaic cell | PV cell
perovskite solar cell | PSC | PSCs
dye-sensitized solar cell | DSSC | DSSCs | DSCs
thin-film solar cell
organic solar cell | OSC | organic photovoltaic
quantum dot-sensitized solar cell | QDSSC
photovoltaic | photovoltaics | PV
lithium-ion battery | lithium ion battery | li-ion battery | LIB | LIBs
sodium-ion battery | sodium ion battery | SIB | SIBs
lithium-sulfur battery | li-s battery
battery
cathode
anode
electrode
counter electrode
photoelectrode
photoanode
photocathode
electrolyte | solid electrolyte | solid-state electrolyte
separator
current collector
supercapacitor | ultracapacitor
capacitor
fuel cell | solid oxide fuel cell | SOFC | SOFCs | PEMFC
electrolysis cell | electrolyzer | SOEC
catalyst | electrocatalyst | photocatalyst | cocatalyst | co-catalyst
catalyst support
photocatalysis
CO oxidation
quantum well | multiple quantum well | MQW | QW | QWs
catalysis
electrocatalysis
water splitting
hydrogen evolution reaction | HER
oxygen evolution reaction | OER
oxygen reduction reaction | ORR
CO2 reduction
hydrogen production
hydrogen storage
energy storage | energy storage device | energy storage system
energy conversion
water treatment | wastewater treatment
degradation of pollutants
sensor | gas sensor | biosensor | chemical sensor
detector | photodetector
transistor | thin-film transistor | TFT | TFTs | field-effect transistor | FET | FETs
HEMT | HEMTs
MOSFET | MOSFETs
light-emitting diode | LED | LEDs | OLED | OLEDs
phosphor
scintillator
diode
optoelectronic device | optoelectronics
electronic device | electronics
spintronics
memory | non-volatile memory
actuator
MEMS
water gas shift reaction | water-gas shift reaction | WGS
field emitter
protective layer
barrier layer
transducer
thermoelectric device | thermoelectric generator | TEG
thermal barrier coating | TBC | TBCs
coating
protective coating
anti-reflection coating | antireflection coating | anti-reflective coating
magnet | permanent magnet
microwave absorber
absorber
varistor
implant | biomedical implant
biomedical application
drug delivery
bone tissue engineering
cutting tool
tool
refractory
crucible
solder
ohmic contact | schottky contact | back contact
gate dielectric
interconnect
waveguide
transparent conducting electrode | transparent electrode
transparent conducting oxide | TCO
window layer
absorber layer
hole transport layer | HTL
electron transport layer | ETL
"""

# Synthesis and processing methods (MatScholar SMT).
SMT = """
sol-gel
preheating
coated
solid-state reaction | solid state reaction | solid-state synthesis
hydrothermal | hydrothermal method | hydrothermal synthesis | hydrothermal route | hydrothermal treatment | hydrothermal reaction
solvothermal | solvothermal method | solvothermal synthesis
co-precipitation | coprecipitation
combustion synthesis | solution combustion | combustion method | self-propagating high-temperature synthesis | SHS
chemical vapor deposition | chemical vapour deposition | CVD
plasma-enhanced chemical vapor deposition | PECVD
low-pressure chemical vapor deposition | LPCVD
metal-organic chemical vapor deposition | metalorganic chemical vapor deposition | MOCVD
atomic layer deposition | ALD
physical vapor deposition | PVD
molecular beam epitaxy | MBE
liquid phase epitaxy | LPE
hydride vapor phase epitaxy | HVPE
metalorganic vapor phase epitaxy | MOVPE
sputtering | sputter deposition | sputtered
magnetron sputtering | rf magnetron sputtering | dc magnetron sputtering | reactive sputtering | reactive magnetron sputtering | co-sputtering | RF sputtering
pulsed laser deposition | PLD
electron beam evaporation | e-beam evaporation
thermal evaporation | evaporation
spray pyrolysis
pyrolysis
spin coating | spin-coating | spin-coated
dip coating | dip-coating | dip-coated
drop casting
doctor blading
screen printing
inkjet printing
electrospinning
electrodeposition | electroplating | electrochemical deposition
electroless plating | electroless deposition
chemical bath deposition | CBD
anodization | anodizing | anodic oxidation | anodized
ball milling | ball-milling | high-energy ball milling | milling | milled
mechanical alloying
arc melting | arc-melting | arc-melted
induction melting
melt spinning | melt-spun
casting
rapid solidification
quenching | quenched
czochralski method | czochralski growth
bridgman method
floating zone method | floating zone | FZ
flux growth | flux method
chemical vapor transport
hot pressing | hot-pressing | hot pressed | hot-pressed
hot isostatic pressing | HIP
cold pressing | uniaxial pressing | pressing
spark plasma sintering | SPS
microwave sintering
sintering | sintered | sinter
annealing | annealed | anneal | post-annealing | thermal annealing
rapid thermal annealing | RTA
calcination | calcined | calcining
heat treatment | heat-treatment | heat treated | heat-treated | thermal treatment
solution treatment
homogenization
tempering
nitriding | plasma nitriding | nitrided
carburizing
oxidation | thermal oxidation | oxidized
hydrogenation
doping
co-doping
ion implantation | implantation | implanted
irradiation | ion irradiation | electron irradiation
ion exchange
intercalation
exfoliation | liquid-phase exfoliation | mechanical exfoliation
template method | hard template | soft template
microwave-assisted synthesis | microwave synthesis
sonochemical synthesis | ultrasonication
wet chemical method | wet chemical synthesis | chemical route
polyol method
pechini method
citrate method | citrate-gel method
thermal decomposition
freeze drying | freeze-drying
spray drying
rolling | cold rolling | hot rolling
extrusion
forging
equal channel angular pressing | ECAP
severe plastic deformation
additive manufacturing | 3D printing
selective laser melting | SLM
laser cladding
thermal spraying | thermal spray | plasma spraying | HVOF
welding
polishing
etching
heating
cooling
homogenized
densified
extruded
firing | fired
grinding
hydrogenated
recrystallized
ablation | laser ablation
ammonolysis
work hardening
high power impulse magnetron sputtering | HiPIMS | HIPIMS
plasma immersion ion implantation | PIII
lithography
densification
recrystallization
"""

# Characterization and computational methods (MatScholar CMT).
CMT = """
x-ray diffraction | XRD | x-ray diffractometry | x-ray diffractometer
x-ray powder diffraction | powder x-ray diffraction | PXRD
high-resolution x-ray diffraction | HRXRD
grazing incidence x-ray diffraction | GIXRD
neutron diffraction | powder neutron diffraction | neutron powder diffraction | NPD
neutron scattering | inelastic neutron scattering
electron diffraction | selected area electron diffraction | SAED
reflection high-energy electron diffraction | RHEED
low-energy electron diffraction | LEED
electron backscatter diffraction | EBSD
rietveld refinement | rietveld analysis | rietveld method
scanning electron microscopy | scanning electron microscope | SEM
field emission scanning electron microscopy | field-emission scanning electron microscopy | FESEM | FE-SEM
transmission electron microscopy | transmission electron microscope | TEM
high-resolution transmission electron microscopy | HRTEM | HR-TEM
scanning transmission electron microscopy | STEM
electron microscopy
optical microscopy | optical microscope | OM
atomic force microscopy | atomic force microscope | AFM
scanning tunneling microscopy | scanning tunnelling microscopy | STM
scanning probe microscopy | SPM
piezoresponse force microscopy | PFM
kelvin probe force microscopy | KPFM
atom probe tomography | APT
energy dispersive x-ray spectroscopy | energy dispersive spectroscopy | energy-dispersive x-ray spectroscopy | energy dispersive spectrometry | EDS | EDX | EDXS | EDAX
wavelength dispersive spectroscopy | WDS
electron probe microanalysis | EPMA
x-ray photoelectron spectroscopy | XPS
ultraviolet photoelectron spectroscopy | UPS
angle-resolved photoemission spectroscopy | ARPES
photoemission spectroscopy | photoemission
auger electron spectroscopy | AES
electron energy loss spectroscopy | EELS
x-ray absorption spectroscopy | XAS
x-ray absorption near edge structure | XANES
extended x-ray absorption fine structure | EXAFS
near-edge x-ray absorption fine structure | NEXAFS
x-ray fluorescence | XRF
inductively coupled plasma | ICP | ICP-OES | ICP-AES | ICP-MS
rutherford backscattering spectrometry | rutherford backscattering spectroscopy | rutherford backscattering | RBS
secondary ion mass spectrometry | SIMS
raman spectroscopy | raman | raman scattering | micro-raman spectroscopy
fourier transform infrared spectroscopy | FTIR | FT-IR | fourier transform infrared | FTIR spectroscopy
infrared spectroscopy | IR | IR spectroscopy
uv-vis spectroscopy | UV-vis | UV-Vis | uv-visible spectroscopy | UV-vis spectroscopy | uv-vis absorption spectroscopy
diffuse reflectance spectroscopy | DRS | UV-vis DRS
photoluminescence | PL | photoluminescence spectroscopy
cathodoluminescence | CL
thermoluminescence | TL
electroluminescence | EL
time-resolved photoluminescence | TRPL
spectroscopic ellipsometry | ellipsometry
optical absorption
absorption spectroscopy
nuclear magnetic resonance | NMR | solid-state NMR
nuclear quadrupole resonance | NQR
electron paramagnetic resonance | EPR
electron spin resonance | ESR
ferromagnetic resonance | FMR
mossbauer spectroscopy | mössbauer spectroscopy | mossbauer | mössbauer
muon spin rotation | µSR | muSR
positron annihilation spectroscopy | PAS
differential scanning calorimetry | DSC
differential thermal analysis | DTA
thermogravimetric analysis | thermogravimetry | TGA | TG
TG-DTA | TG/DTA
dilatometry
calorimetry
brunauer-emmett-teller | BET | nitrogen adsorption-desorption | N2 adsorption-desorption
mercury porosimetry
dynamic light scattering | DLS
small-angle x-ray scattering | SAXS
small-angle neutron scattering | SANS
superconducting quantum interference device | SQUID | SQUID magnetometer | SQUID magnetometry
vibrating sample magnetometer | vibrating sample magnetometry | VSM
magnetization measurements | magnetic measurements
physical property measurement system | PPMS
hall effect measurements | hall measurements | hall effect
four-probe method | four-point probe
impedance spectroscopy | electrochemical impedance spectroscopy | EIS | ac impedance spectroscopy
cyclic voltammetry | CV
linear sweep voltammetry | LSV
galvanostatic charge-discharge | galvanostatic cycling
chronoamperometry
potentiodynamic polarization
mott-schottky
deep level transient spectroscopy | DLTS
capacitance-voltage | C-V
nanoindentation
vickers indentation
tensile test | tensile testing
compression test
hardness test
fatigue test
scratch test
pin-on-disk
density functional theory | DFT | density functional calculations | density-functional theory | density functional theory calculations
first-principles calculations | first principles calculations | first-principles | first principles | ab initio | ab initio calculations
generalized gradient approximation | GGA | GGA+U
local density approximation | LDA | LDA+U
hybrid functional | HSE06 | HSE
molecular dynamics | MD | molecular dynamics simulations | ab initio molecular dynamics | AIMD
monte carlo simulations | monte carlo
phase-field simulation | phase-field
finite element method | finite element analysis | FEM | FEA
calphad | CALPHAD
tight-binding
x-ray computed tomography | computed tomography
"""

TABLES: dict[str, str] = {"SPL": SPL, "DSC": DSC, "PRO": PRO, "APL": APL, "SMT": SMT, "CMT": CMT}

_SPELLING = {
    "aluminium": "aluminum", "sulphur": "sulfur", "sulphide": "sulfide", "fibre": "fiber",
    "fibres": "fibers", "colour": "color", "behaviour": "behavior", "vapour": "vapor",
    "analyse": "analyze", "centre": "center", "metre": "meter", "ageing": "aging",
    "tunnelling": "tunneling", "modelling": "modeling", "neel": "néel", "mössbauer": "mossbauer",
}
_NO_SINGULAR = frozenset(
    "gas glass bias mass class process analysis synthesis thesis basis stress loss less "
    "series species status plus us is as was has this its physics optics electronics dynamics "
    "photovoltaics spintronics optoelectronics thermodynamics kinetics mechanics ceramics "
    "magnetics always across".split()
)


def american(word: str) -> str:
    """British -> American spelling for the words the lexicons care about (-isation -> -ization)."""
    w = _SPELLING.get(word, word)
    if w.endswith(("isation", "isations", "ised", "ising")) and len(w) > 7:
        w = re.sub(r"is(ation|ations|ed|ing)$", r"iz\1", w)
    return w


def singular(word: str) -> str:
    """Naive singular of an English noun; good enough for lexicon keys."""
    if word in _NO_SINGULAR or len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def plural(word: str) -> str:
    if not word.isalpha() or not word[-1:].isalpha():
        return word + "s"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def normalize_key(phrase: str) -> str:
    """Lexicon key: lower case, American spelling, tight hyphens, last word singular."""
    text = re.sub(r"\s*[-–—‐−]\s*", "-", phrase.strip().lower())
    words = [american(w) for w in text.split()]
    if words:
        last = words[-1].split("-")
        last[-1] = singular(last[-1])
        words[-1] = "-".join(last)
    return " ".join(words)


def case_sensitive(phrase: str) -> bool:
    return any(ch.isupper() for ch in phrase)


def entries() -> Iterator[tuple[str, str, str]]:
    """(type, phrase as written, key) for every phrase of every table, in file order."""
    for etype, table in TABLES.items():
        for line in table.strip().splitlines():
            phrases = [p.strip() for p in line.split("|") if p.strip()]
            key = normalize_key(phrases[0])
            for p in phrases:
                yield etype, p, key


@lru_cache(maxsize=1)
def lexicon() -> dict[str, list[tuple[str, str, str]]]:
    """Entries grouped by type; built on first use."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for etype, phrase, key in entries():
        out.setdefault(etype, []).append((etype, phrase, key))
    return out
