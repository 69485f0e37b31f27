import StockyardCLI

@main
struct Entrypoint {
    static func main() async {
        MallocArenas.prepare(arguments: CommandLine.arguments)
        await StockyardCommand.main()
    }
}
