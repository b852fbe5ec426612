"""REST API for integrations (/api/v1): token authentication with scopes, JSON errors, OpenAPI."""
