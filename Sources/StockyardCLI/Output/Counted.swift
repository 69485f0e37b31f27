/// A count and its noun, singular for one: "1 unit sold", "2 units sold", "0 numbers pushed".
func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
}
