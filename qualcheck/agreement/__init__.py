"""Cross-source agreement: what the FA rules compare and how sources are weighed.

- ``claims``: extract comparable claims (numbers, dates, titles, quotes) from one document;
- ``events``: which documents report the same event (candidate pairs by keywords and dates);
- ``alignment``: group the claims of one event and decide which sources disagree, and who is wrong;
- ``offices``: knowledge of offices and their holders (rules/agreement/data/offices.yaml);
- ``reliability``: trust per source from corroboration (TruthFinder-style) and document quality.

The corpus-scope kind ``kinds/agreement.py`` drives them; nothing here reads files but the data files.
"""
