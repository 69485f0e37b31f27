import StockyardCLI

@main
struct Entrypoint {
    static func main() async {
        await StockyardCommand.main()
    }
}
