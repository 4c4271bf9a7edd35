litoptSearchShard(0,[
["01-shared-state.html","1 Shared state","1 Shared state","Cells share top-level state, like a notebook."],
["02-outputs.html","2 Outputs","2 Outputs","Math such as a_i ∗ b_i and ∑_(i = 1)^n x_i^2 stays as written. n n² 1 1 2 4 3 9 k 1"]
]);
