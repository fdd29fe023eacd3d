// Placeholder: replaced by the Spark Connect client work (issue 3).
