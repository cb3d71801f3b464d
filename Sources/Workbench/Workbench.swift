// Module Workbench: see Package.swift for its layer.
