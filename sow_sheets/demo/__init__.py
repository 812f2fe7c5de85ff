"""The synthetic Zoetermeer demo workbook: invented people, real postcodes, a realistic
conversation log and a few deliberate mistakes.
"""
