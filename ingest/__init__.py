"""Reading papers (text, HTML, XML, PDF) into ParsedDocument records."""
