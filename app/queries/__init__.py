"""Read-only, paged queries for lists (count and page with a filter and a sort)."""
