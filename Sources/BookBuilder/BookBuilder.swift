// BookBuilder: load → parse → plan → execute → render → write.
