"""The audit's checks: pure functions of the document (and, where they compare, the market), one module per
family of finding. Each returns a list of findings, empty when it has nothing to say."""
