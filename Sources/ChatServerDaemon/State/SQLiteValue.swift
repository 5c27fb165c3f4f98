/// A value to bind.
enum SQLiteValue {
    case text(String)
    case int(Int64)
}
