"""Built dataset versions, one folder per version (see README)."""
