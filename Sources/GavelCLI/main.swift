print("gavel")
