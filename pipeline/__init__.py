"""Build the data package: transcription -> tidy resources -> descriptor."""
