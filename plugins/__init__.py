"""First-party plugins: one package each, registered by entry point exactly as a
third-party plugin is (see docs/plugins.md). They import only lms, content and
cohorts, never each other."""
