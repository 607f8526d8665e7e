namespace Doppel.Packs.Trust;

/// <summary>
/// Small name pools per naming style, in the national spelling (diacritics included on purpose so
/// the Doc 9303 transliteration is exercised). Non-Latin scripts are given in a common romanisation.
/// </summary>
internal static class Names
{
    private sealed record Pool(string[] Surnames, string[] Female, string[] Male);

    private static readonly Dictionary<string, Pool> Pools = new(StringComparer.Ordinal)
    {
        ["de"] = new(
            ["Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Wagner", "Becker", "Schäfer", "Köhler", "Groß", "Hoffmann", "Krüger", "Meyer-Lüdenscheidt", "Schröder"],
            ["Anna", "Jürgen", "Lena", "Sophie", "Käthe", "Marie", "Hannah", "Jörg", "Ute", "Brigitte"],
            ["Jürgen", "Lukas", "Maximilian", "Jörg", "Felix", "Paul", "Günther", "Stefan", "Björn", "Thomas"]),
        ["fr"] = new(
            ["Martin", "Bernard", "Dubois", "Lefèvre", "Girard", "Moreau", "Lemaître", "Fournier", "Mercier", "D'Aubigné", "Castaño", "Noël"],
            ["Camille", "Chloé", "Élodie", "Léa", "Anaïs", "Hélène", "Marie-Thérèse", "Océane", "Inès", "Zoé"],
            ["Jérôme", "François", "Hugo", "Théo", "Léon", "Gaël", "Raphaël", "Noé", "Benoît", "Jean-Baptiste"]),
        ["nl"] = new(
            ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "van der Linden"],
            ["Emma", "Julia", "Sanne", "Anouk", "Fleur", "Lotte", "Noëlle", "Iris", "Femke", "Eva"],
            ["Daan", "Sem", "Lucas", "Bram", "Thijs", "Joël", "Ruben", "Jeroen", "Sjoerd", "Pieter"]),
        ["en"] = new(
            ["Smith", "Johnson", "Williams", "Brown", "O'Neil-Smith", "Taylor", "Davies", "Evans", "O'Connor", "Walker", "Robinson", "Thompson", "Wright", "Mackenzie"],
            ["Mary Ann", "Olivia", "Amelia", "Isla", "Elizabeth Margaretta Anne", "Grace", "Charlotte", "Emily", "Sophia", "Ava"],
            ["Oliver", "George", "Harry", "Jack", "Alexander Benjamin Christopher", "Noah", "William", "James", "Thomas", "Daniel"]),
        ["es"] = new(
            ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Muñoz", "Núñez", "Ibáñez"],
            ["María José", "Lucía", "Sofía", "Martina", "Begoña", "Inés", "Paula", "Ana Belén", "Ximena", "Valentina"],
            ["José Luis", "Hugo", "Martín", "Lucas", "Álvaro", "Iñigo", "Raúl", "Adrián", "Sebastián", "Mateo"]),
        ["it"] = new(
            ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "D'Angelo", "Bruno"],
            ["Giulia", "Chiara", "Francesca", "Sofia", "Aurora", "Alessia", "Martina", "Federica", "Noemi", "Beatrice"],
            ["Niccolò", "Lorenzo", "Francesco", "Alessandro", "Leonardo", "Mattia", "Andrea", "Gabriele", "Riccardo", "Tommaso"]),
        ["nordic"] = new(
            ["Andersson", "Johansson", "Ødegård", "Nielsen", "Hansen", "Virtanen", "Korhonen", "Sigurðsson", "Åberg", "Lindqvist", "Ström", "Jónsdóttir"],
            ["Anna Maria", "Sofie", "Ingrid", "Åsa", "Freyja", "Maja", "Linnéa", "Aino", "Sigríður", "Helmi"],
            ["Bjørn", "Erik", "Lars", "Mikael", "Søren", "Jón", "Åke", "Eero", "Magnús", "Henrik"]),
        ["pl"] = new(
            ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Łukaszewicz"],
            ["Zofia", "Małgorzata", "Agnieszka", "Katarzyna", "Joanna", "Żaneta", "Alicja", "Magdalena", "Jadwiga", "Łucja"],
            ["Łukasz", "Paweł", "Michał", "Krzysztof", "Wojciech", "Jakub", "Mikołaj", "Grzegorz", "Tomasz", "Bartłomiej"]),
        ["cz"] = new(
            ["Novák", "Svoboda", "Novotný", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý", "Horváth", "Krejčí", "Kovačević", "Marković"],
            ["Tereza", "Eliška", "Anežka", "Kateřina", "Lucie", "Zuzana", "Jana", "Barbora", "Božena", "Ivana"],
            ["Jiří", "Tomáš", "Lukáš", "Ondřej", "Matěj", "Vojtěch", "Marek", "Dušan", "Luka", "Jan"]),
        ["pt"] = new(
            ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Conceição", "Gonçalves", "Rodrigues", "Magalhães", "Araújo", "Caçador de Araújo", "Simões"],
            ["Beatriz", "Leonor", "Inês", "Mariana", "Lara", "Conceição", "Joana", "Luísa", "Fátima", "Ana"],
            ["João", "André Estevão", "Tomás", "Gonçalo", "Martim", "Duarte", "Vicente", "Sebastião", "Rodrigo", "Afonso"]),
        ["hu"] = new(
            ["Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár", "Németh", "Farkas", "Balogh", "Pásztor"],
            ["Zsófia", "Réka", "Anna", "Eszter", "Boglárka", "Lilla", "Dóra", "Júlia", "Katalin", "Orsolya"],
            ["Bence", "Máté", "Levente", "Dávid", "Ádám", "Balázs", "Dániel", "Gergő", "Zoltán", "Péter"]),
        ["tr"] = new(
            ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan"],
            ["Zeynep", "Elif", "Ayşe", "Fatma", "Merve", "Büşra", "Gülşen", "Şule", "İpek", "Özge"],
            ["Mehmet", "Mustafa", "Ahmet", "Emre", "Burak", "Çağlar", "Oğuz", "İsmail", "Gökhan", "Hüseyin"]),
        ["gr"] = new(
            ["Papadopoulos", "Papadopoulos-Konstantinidou", "Nikolaidis", "Georgiou", "Vlachos", "Oikonomou", "Dimitriou", "Ioannidis", "Makris", "Antoniou"],
            ["Alexandra Theodora", "Eleni", "Maria", "Katerina", "Sofia", "Despoina", "Vasiliki", "Anastasia", "Georgia", "Ioanna"],
            ["Georgios", "Konstantinos", "Dimitrios", "Ioannis", "Nikolaos", "Panagiotis", "Christos", "Vasileios", "Athanasios", "Evangelos"]),
        ["ro"] = new(
            ["Popescu", "Ionescu", "Popa", "Pop", "Radu", "Dumitru", "Stoica", "Stănescu", "Munteanu", "Constantinescu", "Țăranu", "Ștefănescu"],
            ["Ioana", "Andreea", "Elena", "Maria", "Alexandra", "Ștefania", "Bianca", "Cristina", "Mădălina", "Irina"],
            ["Andrei", "Alexandru", "Ștefan", "Mihai", "Ionuț", "Răzvan", "Cătălin", "Florin", "Gheorghe", "Vlad"]),
        ["baltic"] = new(
            ["Tamm", "Saar", "Sepp", "Bērziņš", "Kalniņš", "Ozoliņš", "Kazlauskas", "Jankauskas", "Petrauskas", "Žukauskas", "Vaitkevičius", "Mägi"],
            ["Liis", "Kadri", "Anna", "Līga", "Ilze", "Rūta", "Gabija", "Austėja", "Kärt", "Laura"],
            ["Jüri", "Mart", "Andris", "Jānis", "Mārtiņš", "Lukas", "Matas", "Dovydas", "Tõnis", "Rasmus"]),
        ["jp"] = new(
            ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato"],
            ["Yui", "Aoi", "Haruka", "Sakura", "Hina", "Yuna", "Misaki", "Rin", "Akari", "Mei"],
            ["Haruto", "Sota", "Yuto", "Hinata", "Riku", "Takumi", "Kenta", "Daiki", "Ren", "Shota"]),
        ["kr"] = new(
            ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"],
            ["Seo Yeon", "Ji Woo", "Min Seo", "Ha Eun", "Su Ah", "Ji Min", "Yoo Jin", "Da Eun", "Eun Ji", "Hye Jin"],
            ["Min Jun", "Seo Jun", "Do Yun", "Ji Ho", "Ha Jun", "Jun Seo", "Hyun Woo", "Sung Min", "Tae Yang", "Ji Hoon"]),
        ["cn"] = new(
            ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun"],
            ["Xiuying", "Jing", "Li", "Yan", "Fang", "Min", "Xiaohong", "Lili", "Ting", "Yue"],
            ["Wei", "Jun", "Lei", "Qiang", "Yang", "Jie", "Hao", "Yong", "Zhiwei", "Tao"]),
        ["in"] = new(
            ["Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Chatterjee", "Mukherjee", "Nilavadhanananda", "Venkataraman"],
            ["Priya", "Ananya", "Aishwarya", "Divya", "Lakshmi", "Meera", "Kavya", "Sneha", "Pooja", "Shreya"],
            ["Aarav", "Vihaan", "Arjun", "Rahul", "Rohan", "Siddharth", "Aditya", "Vikram", "Karthik", "Sai Krishna"]),
        ["ar"] = new(
            ["Al-Farsi", "El Amrani", "Haddad", "Mansour", "Benali", "Al-Hashimi", "Khalil", "Saleh", "Ibrahim", "Nasser"],
            ["Fatima", "Aisha", "Mariam", "Salma", "Nour", "Yasmin", "Layla", "Khadija", "Amina", "Huda"],
            ["Mohammed", "Ahmed", "Omar", "Youssef", "Khalid", "Hassan", "Ali", "Karim", "Tariq", "Samir"]),
        ["ua"] = new(
            ["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Oliinyk", "Melnyk", "Boiko", "Koval", "Moroz"],
            ["Olena", "Iryna", "Nataliia", "Oksana", "Yuliia", "Tetiana", "Kateryna", "Sofiia", "Anastasiia", "Mariia"],
            ["Oleksandr", "Andrii", "Dmytro", "Serhii", "Mykola", "Volodymyr", "Yurii", "Bohdan", "Taras", "Ivan"]),
        ["vn"] = new(
            ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"],
            ["Thị Lan", "Thu Hà", "Ngọc Anh", "Minh Thư", "Thảo", "Hương", "Linh", "Mai", "Phương", "Trang"],
            ["Văn Minh", "Đức Anh", "Quang Huy", "Minh Tuấn", "Hoàng Nam", "Thành", "Hùng", "Dũng", "Khánh", "Long"]),
        ["id"] = new(
            ["Santoso", "Wijaya", "Susanto", "Halim", "Kusuma", "Saputra", "Hidayat", "Nugroho", "Setiawan", "Pratama"],
            ["Siti", "Dewi", "Putri", "Ayu", "Indah", "Ratna", "Wulan", "Sri", "Fitri", "Nur"],
            ["Budi", "Agus", "Andi", "Eko", "Rudi", "Dedi", "Hendra", "Joko", "Bayu", "Rizky"]),
        ["th"] = new(
            ["Saetang", "Srisuk", "Wongsawat", "Chaiyaporn", "Rattanakorn", "Kittisak", "Boonmee", "Thongchai", "Nilavadhanananda", "Phromma"],
            ["Chayapa Dejthamrong Krasuang", "Nattaya", "Siriporn", "Kanokwan", "Pimchanok", "Ratchanee", "Suda", "Malee", "Ploy", "Nok"],
            ["Somchai", "Niran", "Anan", "Kittipong", "Prasert", "Surachai", "Thanawat", "Wichai", "Chatchai", "Arthit"]),
    };

    /// <summary>Picks (surname, given names) for a holder; sex 'F', 'M' or '&lt;' chooses the given-name pool.</summary>
    public static (string Primary, string Secondary) Pick(ref Rng rng, string style, char sex)
    {
        Pool pool = Pools.TryGetValue(style, out Pool? p) ? p : Pools["en"];
        string primary = rng.Pick(pool.Surnames);
        string[] givenPool = sex switch
        {
            'F' => pool.Female,
            'M' => pool.Male,
            _ => rng.Chance(0.5) ? pool.Female : pool.Male,
        };
        string secondary = rng.Pick(givenPool);
        if (rng.Chance(0.2))
        {
            string second = rng.Pick(givenPool);
            if (!string.Equals(second, secondary, StringComparison.Ordinal))
            {
                secondary = secondary + " " + second;
            }
        }

        return (primary, secondary);
    }
}
