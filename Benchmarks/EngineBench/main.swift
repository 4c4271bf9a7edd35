print("engine-bench")
