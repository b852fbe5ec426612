"""The shell every page lives in: layout, navigation, home page, errors, shared widgets."""
