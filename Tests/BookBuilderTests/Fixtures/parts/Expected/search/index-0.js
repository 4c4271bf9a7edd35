litoptSearchShard(0,[
["00-preface.html","Preface","Preface",""],
["00-preface.html#sec-reading","How to read this book","Preface","Start with Section 1.1, and keep Section A.1 at hand."],
["01-bowls.html","1 Bowls","1 Bowls",""],
["01-bowls.html#sec-bowls","1.1 A bowl","1 Bowls","L(w) = w^2 (1.1) See Equation (1.1) and the preface's “How to read this book”."],
["02-saddles.html","2 Saddles","2 Saddles",""],
["02-saddles.html#a-saddle","2.1 A saddle","2 Saddles","Back to Section 1.1."],
["90-reference.html","A Reference","A Reference",""],
["90-reference.html#sec-api","A.1 The API","A Reference","f(x) = x (A.1) Cites Equation (A.1)."]
]);
