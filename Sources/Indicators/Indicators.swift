// Module Indicators: see Package.swift for its layer.
