// Module Workbench: notebooks (parse, check, run, cache), the step protocol, profiles, figures and rendering.
// Start with Step.swift (what a step is), then Notebook.swift (what a notebook is) and Runner.swift (how it runs).
