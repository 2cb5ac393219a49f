"""Publishing: the staged build, once every check has passed on it, replaces what users see; then the
snapshot that the servers serve."""
