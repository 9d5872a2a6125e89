raise RuntimeError("this plugin fails while its module loads")
