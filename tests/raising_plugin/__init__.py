"""A plugin package whose apps module fails at import with something other
than ImportError (tests of lms.plugins' isolation of broken plugins)."""
