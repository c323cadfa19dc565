"""The bundled worked examples (package data for `barriermap demo`)."""
