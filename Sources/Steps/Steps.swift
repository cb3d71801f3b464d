// Module Steps: see Package.swift for its layer.
