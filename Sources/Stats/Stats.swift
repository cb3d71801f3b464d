// Module Stats: see Package.swift for its layer.
