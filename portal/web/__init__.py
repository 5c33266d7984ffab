"""HTTP plumbing shared by every area: rendering, assets, headers, errors, health."""
