"""Materials-aware language processing: ParsedDocument -> AnnotatedDocument."""
