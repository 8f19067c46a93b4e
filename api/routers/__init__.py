"""HTTP routes, thin: parse, call the service modules, shape the answer."""
