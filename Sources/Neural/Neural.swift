// Module Neural: see Package.swift for its layer.
