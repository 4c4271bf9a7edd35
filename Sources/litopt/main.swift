print("litopt")
