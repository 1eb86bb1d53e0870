"""The § 141 handleplan as a document on the case: offered, accepted or declined (the citizen may say no),
with its goals — each an indsatsformål and its mål (SMARTE mål, VUM 2.0).  One per case, changed as the plan
changes; every change journalled."""
