"""One module per aggregate; repositories take a Connection and return domain data."""
