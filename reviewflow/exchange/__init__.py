"""Round trip with the screening tools reviewers use: Rayyan, Covidence, ASReview LAB.

``export`` hands the works to screen to a tool (RIS, CSV, XLSX), each carrying
its stable reviewflow key; one reader per tool (``rayyan``, ``covidence``,
``asreview``) turns the tool's export back into votes; ``match`` finds each
voted record's work; ``consensus`` turns votes into reviewflow's decision rows
and measures agreement between reviewers.
"""
