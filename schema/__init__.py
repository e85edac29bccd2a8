"""The bundled INDIGO JSON Schemas, one folder per released MAJOR.MINOR version."""
