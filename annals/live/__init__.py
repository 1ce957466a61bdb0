"""The browser side of `annals serve`: the script that reloads a previewed page and shows build errors."""
