print("imine: under construction")
