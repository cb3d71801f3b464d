// Module Search: see Package.swift for its layer.
