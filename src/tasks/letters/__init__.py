"""Letters to the citizen and to Ankestyrelsen: what they say, the PDF, writing them when a decision is made, and
reading them back.
"""
