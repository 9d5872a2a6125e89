"""Toolkits: step-by-step guides with worksheets and a checklist each person
ticks off, e.g. a legal toolkit for community collaboration."""
