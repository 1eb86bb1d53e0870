"""Parties to a case: the citizen (with address and Digital Post status) and representatives.

The citizen's CPR number and name stay on the case (they identify it); a party row holds what a letter
needs to reach a person: the postal address and whether the citizen is exempt from Digital Post
(fritaget), which makes every letter go by physical post with its own receipt rule (R4).
"""
