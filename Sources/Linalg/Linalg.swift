// Module Linalg: see Package.swift for its layer.
