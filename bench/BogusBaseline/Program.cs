// The comparison baseline for BENCHMARKS.md: a plain Bogus Faker<T> program writing the same CSV
// columns as the person recipe with a StreamWriter, the way a team would write it by hand.
using System.Globalization;
using Bogus;

var rows = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var path = args.Length > 1 ? args[1] : "bogus-person.csv";
Randomizer.Seed = new Random(42);
var id = 0L;
var faker = new Faker<Person>("en_GB")
    .RuleFor(p => p.Id, _ => ++id)
    .RuleFor(p => p.FirstName, f => f.Name.FirstName())
    .RuleFor(p => p.LastName, f => f.Name.LastName())
    .RuleFor(p => p.NhsNumber, f => Nhs(f.Random))
    .RuleFor(p => p.DateOfBirth, f => DateOnly.FromDateTime(f.Date.Between(new DateTime(1930, 1, 1), new DateTime(2020, 12, 31))))
    .RuleFor(p => p.Postcode, f => f.Address.ZipCode())
    .RuleFor(p => p.Email, (f, p) => f.Internet.Email(p.FirstName, p.LastName));

using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false), 1 << 16);
writer.Write("id,first_name,last_name,nhs_number,date_of_birth,postcode,email\n");
for (long i = 0; i < rows; i++)
{
    var p = faker.Generate();
    writer.Write(string.Create(CultureInfo.InvariantCulture, $"{p.Id},{p.FirstName},{p.LastName},{p.NhsNumber},{p.DateOfBirth:yyyy-MM-dd},{p.Postcode},{p.Email}\n"));
}

static string Nhs(Randomizer r)
{
    // Modulus 11: redraw when the check digit would be 10 (what a hand-written generator does).
    while (true)
    {
        var digits = new int[9];
        digits[0] = 9;
        digits[1] = 9;
        digits[2] = 9;
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            if (i >= 3)
            {
                digits[i] = r.Number(0, 9);
            }

            sum += digits[i] * (10 - i);
        }

        var c = 11 - (sum % 11);
        if (c == 10)
        {
            continue;
        }

        return string.Concat(digits) + (c == 11 ? 0 : c).ToString(CultureInfo.InvariantCulture);
    }
}

internal sealed class Person
{
    public long Id { get; set; }

    public string FirstName { get; set; } = "";

    public string LastName { get; set; } = "";

    public string NhsNumber { get; set; } = "";

    public DateOnly DateOfBirth { get; set; }

    public string Postcode { get; set; } = "";

    public string Email { get; set; } = "";
}
