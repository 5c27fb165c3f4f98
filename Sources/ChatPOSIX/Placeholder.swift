public enum POSIXPlaceholder {}
