"""Build the data package: transcription -> tidy resources -> derived resources -> descriptor, CSVW,
databases, workbook and release. Imports core and analysis, never checks or web."""
