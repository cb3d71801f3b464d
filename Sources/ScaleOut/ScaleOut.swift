// Module ScaleOut: see Package.swift for its layer.
