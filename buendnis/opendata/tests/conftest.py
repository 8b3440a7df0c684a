SLUG = "integration-braucht-partner"  # the demo's agreement
