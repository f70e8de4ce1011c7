X = "lazy"
