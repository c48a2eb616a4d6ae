"""`curabib check`: the linter's checks, each a small function of the merged project returning
`Diagnostic`s. Pure."""
