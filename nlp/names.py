"""Material names that are not formulas: element names, common compound and mineral names,
and well-known material abbreviations, each with the formula (or name key) it stands for.

Written for this project from general chemistry knowledge. A value of None means the
material has no single formula (graphene, steel, PZT solid solutions ...) and its key is the
lower-cased name itself.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from nlp.formula import canonical_key, parse_formula

ELEMENT_NAMES: dict[str, str] = {
    "hydrogen": "H", "helium": "He", "lithium": "Li", "beryllium": "Be", "boron": "B",
    "carbon": "C", "nitrogen": "N", "oxygen": "O", "fluorine": "F", "neon": "Ne",
    "sodium": "Na", "magnesium": "Mg", "aluminum": "Al", "aluminium": "Al", "silicon": "Si",
    "phosphorus": "P", "sulfur": "S", "sulphur": "S", "chlorine": "Cl", "argon": "Ar",
    "potassium": "K", "calcium": "Ca", "scandium": "Sc", "titanium": "Ti", "vanadium": "V",
    "chromium": "Cr", "manganese": "Mn", "iron": "Fe", "cobalt": "Co", "nickel": "Ni",
    "copper": "Cu", "zinc": "Zn", "gallium": "Ga", "germanium": "Ge", "arsenic": "As",
    "selenium": "Se", "bromine": "Br", "krypton": "Kr", "rubidium": "Rb", "strontium": "Sr",
    "yttrium": "Y", "zirconium": "Zr", "niobium": "Nb", "molybdenum": "Mo", "technetium": "Tc",
    "ruthenium": "Ru", "rhodium": "Rh", "palladium": "Pd", "silver": "Ag", "cadmium": "Cd",
    "indium": "In", "tin": "Sn", "antimony": "Sb", "tellurium": "Te", "iodine": "I",
    "xenon": "Xe", "cesium": "Cs", "caesium": "Cs", "barium": "Ba", "lanthanum": "La",
    "cerium": "Ce", "praseodymium": "Pr", "neodymium": "Nd", "promethium": "Pm",
    "samarium": "Sm", "europium": "Eu", "gadolinium": "Gd", "terbium": "Tb",
    "dysprosium": "Dy", "holmium": "Ho", "erbium": "Er", "thulium": "Tm", "ytterbium": "Yb",
    "lutetium": "Lu", "hafnium": "Hf", "tantalum": "Ta", "tungsten": "W", "rhenium": "Re",
    "osmium": "Os", "iridium": "Ir", "platinum": "Pt", "gold": "Au", "mercury": "Hg",
    "thallium": "Tl", "lead": "Pb", "bismuth": "Bi", "polonium": "Po", "astatine": "At",
    "radon": "Rn", "francium": "Fr", "radium": "Ra", "actinium": "Ac", "thorium": "Th",
    "protactinium": "Pa", "uranium": "U", "neptunium": "Np", "plutonium": "Pu",
    "americium": "Am", "curium": "Cm", "berkelium": "Bk", "californium": "Cf",
    "einsteinium": "Es", "fermium": "Fm", "mendelevium": "Md", "nobelium": "No",
    "lawrencium": "Lr", "rutherfordium": "Rf", "dubnium": "Db", "seaborgium": "Sg",
    "bohrium": "Bh", "hassium": "Hs", "meitnerium": "Mt", "darmstadtium": "Ds",
    "roentgenium": "Rg", "copernicium": "Cn", "nihonium": "Nh", "flerovium": "Fl",
    "moscovium": "Mc", "livermorium": "Lv", "tennessine": "Ts", "oganesson": "Og",
}

# Element names that in materials text mostly name an atmosphere, a reagent, a dopant or a
# verb ("lead to"), not the material under study; the tagger does not mark them alone.
# (Carbon nanotubes, fibres and amorphous carbon are "carbon" plus a descriptor, as MatScholar
# annotates them, so they have no entry of their own.)
AMBIGUOUS_ELEMENT_NAMES = frozenset(
    "hydrogen helium nitrogen oxygen fluorine neon chlorine argon krypton xenon radon lead "
    "tin iodine bromine mercury sulfur sulphur sodium potassium arsenic".split()
)

COMMON_NAMES: dict[str, str | None] = {
    # oxides
    "silica": "SiO2", "silicon dioxide": "SiO2", "silicon oxide": "SiO2", "quartz": "SiO2",
    "fused silica": "SiO2", "titania": "TiO2", "titanium dioxide": "TiO2",
    "titanium oxide": "TiO2", "alumina": "Al2O3", "aluminum oxide": "Al2O3",
    "aluminium oxide": "Al2O3", "corundum": "Al2O3", "sapphire": "Al2O3", "zirconia": "ZrO2",
    "zirconium dioxide": "ZrO2", "zirconium oxide": "ZrO2", "ceria": "CeO2",
    "cerium oxide": "CeO2", "cerium dioxide": "CeO2", "yttria": "Y2O3", "yttrium oxide": "Y2O3",
    "magnesia": "MgO", "magnesium oxide": "MgO", "periclase": "MgO", "zinc oxide": "ZnO",
    "hafnia": "HfO2", "hafnium oxide": "HfO2", "hafnium dioxide": "HfO2", "calcium oxide": "CaO",
    "hematite": "Fe2O3", "haematite": "Fe2O3", "maghemite": "Fe2O3", "ferric oxide": "Fe2O3",
    "magnetite": "Fe3O4", "wustite": "FeO", "ferrous oxide": "FeO", "cuprous oxide": "Cu2O",
    "cupric oxide": "CuO", "copper oxide": "CuO", "nickel oxide": "NiO", "tin oxide": "SnO2",
    "tin dioxide": "SnO2", "stannic oxide": "SnO2", "cassiterite": "SnO2",
    "indium oxide": "In2O3", "gallium oxide": "Ga2O3", "vanadium pentoxide": "V2O5",
    "molybdenum trioxide": "MoO3", "tungsten trioxide": "WO3", "tungsten oxide": "WO3",
    "manganese dioxide": "MnO2", "bismuth oxide": "Bi2O3", "lithium oxide": "Li2O",
    "niobium pentoxide": "Nb2O5", "tantalum pentoxide": "Ta2O5", "ruthenium oxide": "RuO2",
    "iridium oxide": "IrO2", "lead oxide": "PbO", "cobalt oxide": "Co3O4",
    "chromium oxide": "Cr2O3", "chromia": "Cr2O3", "beryllia": "BeO", "thoria": "ThO2",
    "urania": "UO2", "uranium dioxide": "UO2", "goethite": "FeOOH", "boehmite": "AlOOH",
    "gibbsite": "Al(OH)3", "brucite": "Mg(OH)2",
    # nitrides, carbides, borides, pnictides, chalcogenides
    "silicon nitride": "Si3N4", "silicon carbide": "SiC", "boron nitride": "BN",
    "aluminum nitride": "AlN", "aluminium nitride": "AlN", "gallium nitride": "GaN",
    "indium nitride": "InN", "titanium nitride": "TiN", "titanium carbide": "TiC",
    "chromium nitride": "CrN", "zirconium nitride": "ZrN", "tantalum nitride": "TaN",
    "tungsten carbide": "WC", "boron carbide": "B4C", "zirconium diboride": "ZrB2",
    "titanium diboride": "TiB2", "magnesium diboride": "MgB2", "hafnium carbide": "HfC",
    "gallium arsenide": "GaAs", "indium arsenide": "InAs", "indium phosphide": "InP",
    "gallium phosphide": "GaP", "cadmium sulfide": "CdS", "cadmium sulphide": "CdS",
    "cadmium selenide": "CdSe", "cadmium telluride": "CdTe", "zinc sulfide": "ZnS",
    "zinc sulphide": "ZnS", "zinc selenide": "ZnSe", "lead sulfide": "PbS", "galena": "PbS",
    "lead selenide": "PbSe", "lead telluride": "PbTe", "bismuth telluride": "Bi2Te3",
    "bismuth selenide": "Bi2Se3", "molybdenum disulfide": "MoS2", "molybdenite": "MoS2",
    "tungsten disulfide": "WS2", "pyrite": "FeS2", "tin sulfide": "SnS",
    "copper indium gallium selenide": None, "kesterite": "Cu2ZnSnS4",
    # salts, titanates and other ternary compounds
    "sodium chloride": "NaCl", "potassium chloride": "KCl", "lithium fluoride": "LiF",
    "calcium fluoride": "CaF2", "magnesium fluoride": "MgF2", "calcium carbonate": "CaCO3",
    "barium titanate": "BaTiO3", "strontium titanate": "SrTiO3", "lead titanate": "PbTiO3",
    "calcium titanate": "CaTiO3", "bismuth ferrite": "BiFeO3", "lithium niobate": "LiNbO3",
    "lithium tantalate": "LiTaO3", "potassium niobate": "KNbO3", "lithium cobalt oxide": "LiCoO2",
    "lithium iron phosphate": "LiFePO4", "lithium titanate": "Li4Ti5O12",
    "lithium manganese oxide": "LiMn2O4", "hydroxyapatite": "Ca10(PO4)6(OH)2",
    "ilmenite": "FeTiO3", "mullite": "Al6Si2O13", "cordierite": "Mg2Al4Si5O18",
    "zircon": "ZrSiO4", "forsterite": "Mg2SiO4", "wollastonite": "CaSiO3",
    "gypsum": "CaSO4·2H2O", "kaolinite": "Al2Si2O5(OH)4", "zinc ferrite": "ZnFe2O4",
    "cobalt ferrite": "CoFe2O4", "nickel ferrite": "NiFe2O4", "barium ferrite": "BaFe12O19",
    "yttrium iron garnet": "Y3Fe5O12", "yttrium aluminum garnet": "Y3Al5O12",
    "bismuth vanadate": "BiVO4", "zinc phosphate": "Zn3(PO4)2",
    # molecules, solvents and reagents that are studied or used as materials
    "water": "H2O", "hydrogen peroxide": "H2O2", "ammonia": "NH3", "methane": "CH4",
    "carbon dioxide": "CO2", "carbon monoxide": "CO", "sulfuric acid": "H2SO4",
    "nitric acid": "HNO3", "hydrochloric acid": "HCl", "hydrofluoric acid": "HF",
    "phosphoric acid": "H3PO4", "sodium hydroxide": "NaOH", "potassium hydroxide": "KOH",
    "ethanol": "C2H6O", "methanol": "CH4O", "acetone": "C3H6O", "isopropanol": "C3H8O",
    "ethylene glycol": "C2H6O2", "urea": "CH4N2O", "citric acid": "C6H8O7",
    "glucose": "C6H12O6", "toluene": "C7H8", "benzene": "C6H6", "chloroform": "CHCl3",
    "acetonitrile": "C2H3N", "hexane": "C6H14", "phenol": "C6H6O",
    "dimethylformamide": "C3H7NO", "methylammonium lead iodide": "CH3NH3PbI3",
    # carbon forms: no single formula distinguishes them, so the name is the key
    "graphene": None, "graphene oxide": None, "reduced graphene oxide": None,
    "graphite": None, "diamond": None, "diamond-like carbon": None, "fullerene": None,
    "carbon black": None, "activated carbon": None,
    # engineering materials without a formula
    "steel": None, "steels": None, "stainless steel": None, "carbon steel": None,
    "mild steel": None, "cast iron": None, "brass": None, "bronze": None, "superalloy": None,
    "superalloys": None, "inconel": None, "nitinol": None, "cement": None, "concrete": None,
    "mortar": None, "soda-lime glass": None, "borosilicate glass": None, "silicate glass": None,
    "zeolite": None, "zeolites": None, "clay": None, "montmorillonite": None,
    "epoxy": None, "polyethylene": None, "polypropylene": None, "polystyrene": None,
    "polyimide": None, "polyaniline": None, "polypyrrole": None, "polycarbonate": None,
    "nafion": None, "kapton": None, "oxide": None, "oxides": None, "metal oxide": None,
    "metal oxides": None, "indium tin oxide": None, "indium-tin oxide": None,
    "yttria-stabilized zirconia": None, "yttria stabilized zirconia": None,
    "lead zirconate titanate": None,
}

# Abbreviations for materials, matched case-sensitively (a lower-cased "ito" or "go" is not them).
ABBREVIATIONS: dict[str, str | None] = {
    "ITO": None, "FTO": None, "AZO": None, "GZO": None, "IGZO": None, "YSZ": None,
    "ScSZ": None, "GDC": None, "SDC": None, "LSM": None, "LSCF": None, "LSGM": None,
    "PZT": None, "PLZT": None, "BST": None, "BFO": "BiFeO3", "BTO": "BaTiO3", "STO": "SrTiO3",
    "LAO": "LaAlO3", "LSMO": None, "LCMO": None, "YBCO": "YBa2Cu3O7", "BSCCO": None, "DLC": None,
    "BSCF": "Ba0.5Sr0.5Co0.8Fe0.2O3-δ",
    "YAG": "Y3Al5O12", "LuAG": "Lu3Al5O12", "YIG": "Y3Fe5O12", "GGG": "Gd3Ga5O12",
    "LFP": "LiFePO4", "LCO": "LiCoO2", "LMO": "LiMn2O4", "LTO": "Li4Ti5O12", "NMC": None,
    "NCM": None, "NCA": None, "LLZO": "Li7La3Zr2O12", "LATP": None, "LAGP": None,
    "HAp": "Ca10(PO4)6(OH)2", "CNT": None, "CNTs": None, "MWCNT": None, "MWCNTs": None,
    "SWCNT": None, "SWCNTs": None, "rGO": None, "RGO": None, "GO": None, "MOF": None,
    "MOFs": None, "ZIF-8": None, "PMMA": None, "PVDF": None, "PTFE": None, "PDMS": None,
    "PEO": None, "PEG": None, "PVA": None, "PVP": None, "PET": None, "PANI": None, "PPy": None,
    "P3HT": None, "PCBM": None, "PEDOT:PSS": None, "PEDOT": None, "MAPbI3": "CH3NH3PbI3",
    "FAPbI3": None, "TZP": None,
    # porous frameworks: zeolite framework codes and common named frameworks
    "MFI": None, "MWW": None, "FAU": None, "BEA": None, "MOR": None, "FER": None, "CHA": None,
    "LTA": None, "ZSM-5": None, "SAPO-34": None, "MCM-41": None, "SBA-15": None,
    "HKUST-1": None, "MIL-101": None, "UiO-66": None, "MOF-5": None,
    # reagents, surfactants and solvents of synthesis recipes
    "CTAB": None, "SDS": None, "P123": None, "F127": None, "EDTA": None, "TEOS": None,
    "TTIP": None, "DMF": "C3H7NO", "DMSO": "C2H6OS", "THF": "C4H8O", "NMP": None,
}


# Solvents, acids, bases and surfactants: materials of a synthesis recipe rather than the
# material a paper is about; the tagger marks them with lower confidence so that a consumer
# can keep or drop them.
REAGENTS = frozenset(
    "water|hydrogen peroxide|ammonia|methane|sulfuric acid|nitric acid|hydrochloric acid|"
    "hydrofluoric acid|phosphoric acid|sodium hydroxide|potassium hydroxide|ethanol|methanol|"
    "acetone|isopropanol|ethylene glycol|urea|citric acid|glucose|toluene|benzene|chloroform|"
    "acetonitrile|hexane|phenol|dimethylformamide|CTAB|SDS|P123|F127|EDTA|TEOS|TTIP|DMF|DMSO|"
    "THF|NMP".split("|")
)


# --- binary compound names: "tin selenide", "titanium dioxide", "trisilicon tetranitride" ---

# Anion word stem -> (element, charge); "boride" has no fixed charge and needs a prefix.
ANION_STEMS: dict[str, tuple[str, int | None]] = {
    "oxide": ("O", 2), "sulfide": ("S", 2), "sulphide": ("S", 2), "selenide": ("Se", 2),
    "telluride": ("Te", 2), "nitride": ("N", 3), "phosphide": ("P", 3), "arsenide": ("As", 3),
    "antimonide": ("Sb", 3), "carbide": ("C", 4), "fluoride": ("F", 1), "chloride": ("Cl", 1),
    "bromide": ("Br", 1), "iodide": ("I", 1), "hydride": ("H", 1), "boride": ("B", None),
}
COUNT_PREFIXES: dict[str, int] = {"mono": 1, "di": 2, "tri": 3, "tetra": 4, "penta": 5, "hexa": 6}
# The usual charge of the commonest cations in their binary compounds, for names without
# prefixes. Elements with two common charges (Fe, Cu, Co, Mn, V, Mo, W, Ge, Tl, Hg ...) are
# left out on purpose: "iron oxide" or "copper sulfide" does not say which compound is meant.
CATION_CHARGES: dict[str, int] = {
    "H": 1, "Li": 1, "Na": 1, "K": 1, "Rb": 1, "Cs": 1, "Ag": 1,
    "Be": 2, "Mg": 2, "Ca": 2, "Sr": 2, "Ba": 2, "Zn": 2, "Cd": 2, "Ni": 2, "Pb": 2, "Sn": 2,
    "B": 3, "Al": 3, "Ga": 3, "In": 3, "Sc": 3, "Y": 3, "La": 3, "Bi": 3, "Sb": 3, "Cr": 3,
    "Si": 4, "Ti": 4, "Zr": 4, "Hf": 4,
}
# Rock-salt interstitial nitrides and carbides (TiN, ZrC, NbN ...): one to one, whatever the charge.
_ONE_TO_ONE = {"nitride": frozenset("Sc Ti Zr Hf V Nb Ta".split()), "carbide": frozenset("Ti Zr Hf V Nb Ta".split())}
# Where charge counting holds for carbides (SiC, Al4C3, Be2C) and hydrides (LiH, MgH2); it
# fails for CaC2, Cr3C2 or the superhydrides (LaH10), so those names keep their name key.
_CARBIDE_CATIONS = frozenset("Si Al Be".split())
_HYDRIDE_CATIONS = frozenset("Li Na K Rb Cs Be Mg Ca Sr Ba".split())
# Layered monochalcogenides (GaSe, InSe, GaTe) are as common as the charge-balanced ones.
_AMBIGUOUS_CHALCOGENIDES = frozenset("Ga In".split())
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}


def _counted(word: str, names: dict[str, str]) -> tuple[int | None, str] | None:
    """"trioxide" -> (3, "oxide"), "oxide" -> (None, "oxide"), "diiron" -> (2, "iron")."""
    if word in names:
        return None, word
    for prefix, n in COUNT_PREFIXES.items():
        if word.startswith(prefix) and word[len(prefix):] in names:
            return n, word[len(prefix):]
        # the prefix's last vowel is dropped before a vowel: "monoxide", "tetroxide", "pentoxide"
        rest = word[len(prefix) - 1:]
        if word.startswith(prefix[:-1]) and rest[:1] in "aeiou" and rest in names:
            return n, rest
    return None


def binary_name_formula(name: str) -> str | None:
    """Formula of a binary compound name, or None when the name does not fix the stoichiometry.

    "tin selenide" -> SnSe (charges), "titanium dioxide" -> TiO2 (prefix), "iron(III) oxide"
    -> Fe2O3 (oxidation state); "iron oxide" -> None (Fe has two common charges).
    """
    words = name.lower().split()
    if len(words) != 2:
        return None
    cation_word, anion_word = words
    roman = re.fullmatch(r"([a-z]+)\((i{1,3}|iv|v|vi)\)", cation_word)
    charge: int | None = None
    if roman:
        cation_word, charge = roman.group(1), _ROMAN[roman.group(2)]
    cation = _counted(cation_word, _ELEMENT_LOOKUP)
    anion = _counted(anion_word, _ANION_LOOKUP)
    if cation is None or anion is None:
        return None
    (n_cat, cat_name), (n_an, stem) = cation, anion
    el, (an_el, an_charge) = ELEMENT_NAMES[cat_name], ANION_STEMS[stem]
    if anion_word == "pentoxide" and n_cat is None:
        n_cat = 2  # "vanadium pentoxide" is V2O5 by long usage
    if n_an is not None:
        return _formula(el, n_cat or 1, an_el, n_an)
    if n_cat is not None:
        return None
    if stem in _ONE_TO_ONE and el in _ONE_TO_ONE[stem] and charge is None:
        return _formula(el, 1, an_el, 1)
    if an_charge is None or (stem == "carbide" and el not in _CARBIDE_CATIONS):
        return None
    if stem == "hydride" and el not in _HYDRIDE_CATIONS:
        return None
    if an_el in ("S", "Se", "Te") and el in _AMBIGUOUS_CHALCOGENIDES and charge is None:
        return None
    charge = charge or CATION_CHARGES.get(el)
    if charge is None:
        return None
    g = math.gcd(charge, an_charge)
    return _formula(el, an_charge // g, an_el, charge // g)


def _formula(cation: str, n_cat: int, anion: str, n_an: int) -> str:
    return f"{cation}{n_cat if n_cat > 1 else ''}{anion}{n_an if n_an > 1 else ''}"


_ELEMENT_LOOKUP: dict[str, str] = {n: n for n in ELEMENT_NAMES}
_ANION_LOOKUP: dict[str, str] = {n: n for n in ANION_STEMS}


def name_key(name: str, formula: str | None) -> str:
    """The MAT key of a named material: its formula's canonical key, else the name lower-cased."""
    if formula is not None:
        parsed = parse_formula(formula)
        if parsed is not None:
            return canonical_key(parsed)
    return name.lower()


@lru_cache(maxsize=1)
def material_names() -> dict[str, str]:
    """Lower-cased material name -> MAT key, built on first use (element names included)."""
    out = {name: name_key(name, sym) for name, sym in ELEMENT_NAMES.items()}
    out.update({name: name_key(name, f) for name, f in COMMON_NAMES.items()})
    return out


@lru_cache(maxsize=1)
def abbreviation_keys() -> dict[str, str]:
    """Case-sensitive material abbreviation -> MAT key."""
    return {abbr: name_key(abbr, f) for abbr, f in ABBREVIATIONS.items()}
