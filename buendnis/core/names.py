"""The list of personal names that the identifier screening looks for.

The bulk comes from the person lists that ship with the ``faker`` package (MIT licence,
released every few weeks): first names and surnames of the locales below, chosen for the
people who come to Hessian counselling centres and fathers' groups. Faker's Arabic and
Persian lists are in Arabic script, so names common among those target groups in Latin
transliteration are added here (``TARGET_GROUP_*``), as are words that look like names but
are ordinary words in German or English notes (``NOT_NAMES``). Nothing is downloaded: the
lists are read once, on first use, from the installed package.
"""

import functools
import importlib
import unicodedata
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Faker locales whose Latin-script names are read. German-speaking countries first, then the
# origins of the target groups (Turkey, Azerbaijan, Pakistan, Algeria, Central Asia, Balkans,
# Eastern Europe, West and East Africa, Indonesia) and the lists of Sweden and the
# Netherlands, which hold many names of immigrant families.
LOCALES = _words(
    "de_DE de_AT de_CH tr_TR az_AZ en_PK fr_DZ uz_UZ sv_SE nl_NL nl_BE en_KE sw pl_PL ro_RO "
    "hr_HR sl_SI cs_CZ sk_SK hu_HU it_IT es_ES es_MX pt_PT pt_BR fr_FR en_US en_GB en_IN "
    "id_ID ha_NG yo_NG ig_NG tw_GH"
)

# Surnames of these locales count as a name even without a cue; German, English, Dutch,
# Swedish and French surnames are too often ordinary words (Koch, Schneider, Bush, Smart).
STANDALONE_SURNAME_LOCALES = _words(
    "tr_TR az_AZ en_PK fr_DZ uz_UZ en_KE sw ro_RO hr_HR sl_SI cs_CZ sk_SK it_IT es_ES es_MX "
    "pt_PT pt_BR id_ID ha_NG yo_NG ig_NG tw_GH"
)

TARGET_GROUP_FIRST_NAMES = """
Abbas Abdallah Abdelkader Abdi Abdirahman Abdul Abdulla Abdullah Abdulkadir Abdulrahman
Abdulaziz Abed Abu Adil Adnan Afsaneh Afshin Ahmad Ahmed Ahmet Aisha Aischa Ajmal Alaa Ali
Alireza Amani Amal Amin Amina Amir Amira Ammar Anas Arash Arif Armin Asad Asma Ayaan Ayman
Aylin Ayşe Ayse Aziz Azadeh Babak Bahar Bahram Bakr Bashir Bassam Bayan Behnam Belal Berivan
Bilal Burak Busra Büşra Cemal Cengiz Dana Dariush Dawit Delal Dilan Dildar Dilek Dmytro Ebru
Elham Elif Emine Emre Enes Eren Esra Eyüp Fadi Fahim Faisal Farah Farhad Farid Faris Farshid
Farzaneh Fatemeh Fatih Fatima Fatma Fawad Feras Firas Gholam Ghulam Gül Gülay Gülsen Habib Hadi
Hakan Halil Hamid Hamza Hana Hanan Haroon Hasan Hassan Hatice Haval Hawa Hayat Hazal Hiba Hind
Hossein Hosseini Hussain Hussein Hüseyin Ibrahim Idris Ihsan Ilias Ilyas Iman Imran Irina Ismail
Issa Jalal Jamal Jamila Javad Javid Jawad Kamal Kamil Karim Kawa Kemal Khadija Khaled Khalid
Khalil Kobra Leila Leyla Layla Lina Maher Mahmoud Mahmud Majid Malak Malik Mansour Mariam Maryam
Marwa Masoud Meryem Mehdi Mehmet Merve Mina Mirza Mohamad Mohammad Mohammed Mohamed Mohannad
Mojtaba Morteza Muhammad Muhammed Murat Mustafa Nabil Nadia Nadja Nasrin Navid Nawal Nazanin Nesrin
Nihat Nizar Noor Nour Nura Nuri Oksana Olena Olga Omar Omid Osama Osman Parisa Parwin Rahim Rami
Rana Rania Rashid Rasul Reza Riad Rojda Ruslan Saeed Said Saleh Salem Salma Sami Samir Samira
Sara Sarah Sayed Selin Semra Serhat Serkan Shadi Shahid Shirin Sina Soheil Sultan Suleiman
Süleyman Tarek Tariq Tesfay Tesfaye Tuba Umut Walid Wael Yahya Yaser Yasin Yasmin Yasmina Yonas
Yousef Youssef Yusuf Zahra Zainab Zeynep Ziad Zohra Zuhal
Oleksandr Oleksandra Tetiana Tetyana Maksym Andrii Andriy Serhii Serhiy Volodymyr Yulia Iryna
Kateryna Anastasiia Artem Vitalii Mykola Bohdan Oleh Taras Yurii Halyna Liudmyla Nataliia
Natalia Svitlana Svetlana Viktoriia Vadym Denys Ihor Wahid Wali Zabihullah Naqibullah
Rahmatullah Hekmatullah Sediqa Fereshta Mursal Nilofar Farida Fariba Habiba Latifa Roya Sahar
Soraya Rojin Berfin Zilan Azad Baran Rojhat Serdar Welat Sipan Ghaith Ghassan Hazem Hussam Iyad
Louay Majd Mazen Muhannad Obada Qusai Saad Tamer Wassim Yamen Zaid Bushra Duaa Ghada Heba Lama
Lubna Nisreen Rasha Reem Ruba Sawsan Wafaa Mehari Filmon Semere Habtom Kidane Mulu Senait Selam
Luwam Merhawit Rahwa Yordanos Shukri Hodan Fadumo Faduma Ayan Ifrah Khadra Hamdi Abdiaziz
Abdikarim Abdiwali Mohamud
"""

TARGET_GROUP_SURNAMES = """
Abdallah Abdullahi Abou Ahmadi Ahmadzai Akbari Akhtar Al-Ahmad Al-Ali Al-Hassan Al-Khatib
Al-Masri Alizadeh Amini Ansari Arslan Asadi Aslan Ayoub Azizi Bakr Barakzai Bayram Celik Çelik
Darwish Demir Dogan Doğan Ebrahimi Erdem Eze Farahani Fayad Ghazi Habibi Haddad Haidari Hamdan
Hamidi Hashemi Hassani Hosseini Ibrahimi Jafari Jaber Kaplan Karaca Karimi Kaya Kılıç Kilic Koç
Kovalenko Krasniqi Kurt Mahmoudi Mansouri Masri Moradi Mousavi Najafi Nasser Nazari Noori Nouri
Omari Öztürk Ozturk Özdemir Ozdemir Petrenko Popovic Qasemi Rahimi Rahmani Rashidi Rezaei Sadeghi
Safi Salehi Sayed Shevchenko Sultani Şahin Sahin Tahiri Tekle Yıldız Yildiz Yılmaz Yilmaz Yousefi
Zadeh Zaher
Ivanova Ivanov Bondarenko Tkachenko Kravchenko Melnyk Boyko Shevchuk Koval Oliinyk Lysenko
Marchenko Rudenko Savchenko Petrov Petrova Smirnov Smirnova Popov Popova Volkov Volkova Sokolov
Kuznetsov Kuznetsova Warsame Ghebremedhin Tesfamariam Haile Gebremariam Mohamud Abdulle Hersi
Popal Rahimi Noorzai Stanekzai Sultanzada Hamidzada Barakzai Hotak Ghani Yusufzai Bakri
Al-Bakri Al-Khalil Al-Sayed Al-Zoubi Khatib Qasem Hamoud Shalaby Zidan
"""

# Words that the lists hold as names but that notes use as ordinary words: months and days,
# German nouns, adverbs and sentence openers, English words, places and titles.
NOT_NAMES = """
Abend Adel Agenda Alba Alexandria Allen Alm Amor An Anders Andre Angel April Aral Arbeit August
Aura Bali Basel Beste Bett Bis Braun Bruder Bulle Camps Can Cousin Darin Das Dass Davor De Dick
Die Doch Döner Ebbe Ehre Elba Engel Erst Ernst Faith Fasching Forum Frei Freitag Frisch Gabel
Gala Glück Golden Grace Gut Gute Hall Heim Hell Herbst Holland Hope Imam Isis Israel Jordan Job
Joy Juli Juni Junior Kader Kaiser Kasper Kick Klein Knapp Kraft Kurz Lage Lang Lange Lies Lila
Lima Linde Lot Madrid Mai Major Man Mark Marine Max Maya Medina Mentor Mio Mir Monaco
Montenegro Muslim Nazi Noble Nord Nova Nur Olympia Paris Park Pastor Per Post Power Prima Prinz
Queen Real Reine Rosa Saal Safari Saga Salami Salat Server Sole Solange Sommer Stark Summer
Sydney Tage Tara Tor Urban Van Vater Villa Wadi Wage Ward Washington West Wille Will Winter
Yoga York Ade Ami Among Baba Sep Ramadan Eder Erbil Muslima Ante Asta Autumn Bare Beat Bergen
Bill Canal Chase Charity Coca Comfort Constant Coral Crystal Dawn Dean Delle Destiny Diamond
Divan Dom Duke Earl Edit Eitel Else Ester Eta Fancy Floor Fügen Gema Gene Gottlob Grant Gras
Grau Greet Grit Gun Gust Guy Hardy Harm Harsh Hellen Hunter Immaculate Innocent Ion Jail Januar
Jet Joke Kadi Kamel Kenter Klima Kuba Lago Laib Lamas Lance Lasse Lean Leite Lien Limo Line
Lira Lode Loot Lope Love Lucky Mach Macho Mad Malo Malte Mar Mare Maritim Mart Mate May Mensa
Mercedes Mercy Meta Mile Moll Monte Nail Nota Owe Patience Peer Pelle Penny Pier Pol Pop Porto
Prado Purity Raf Raid Ray Reis Reiner Rim Robbe Roma Rune Sad Sande Sang Seif Sever Siebe Siele
Sture Tan Tatar Tea Ties Tilde Toy Traute Tutu Uno Valid Veer Volk Warren Yaw
"""


@dataclass(frozen=True)
class NameList:
    """Case-folded name sets, read once."""

    first_names: frozenset[str]
    surnames: frozenset[str]
    all_names: frozenset[str]
    standalone_surnames: frozenset[str]
    not_names: frozenset[str]


def _latin(word: str) -> bool:
    return bool(word) and all(
        "LATIN" in unicodedata.name(char, "") or char in "-'" for char in word
    )


def _values(provider: type, attribute: str) -> list[str]:
    value = getattr(provider, attribute, ())
    return [] if isinstance(value, property) else [str(item).strip() for item in value]


@functools.cache
def name_list() -> NameList:
    """The names, read on first use from the installed faker package and the lists above."""
    first: set[str] = set(TARGET_GROUP_FIRST_NAMES.split())
    surnames: set[str] = set(TARGET_GROUP_SURNAMES.split())
    standalone: set[str] = set(TARGET_GROUP_SURNAMES.split())
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            first.update(name for name in _values(provider, attribute) if _latin(name))
        last = [name for name in _values(provider, "last_names") if _latin(name)]
        surnames.update(last)
        if locale in STANDALONE_SURNAME_LOCALES:
            standalone.update(last)
    not_names = frozenset(word.casefold() for word in NOT_NAMES.split())

    def fold(names: set[str]) -> frozenset[str]:
        return frozenset(folded for name in names if len(folded := name.casefold()) > 2) - not_names

    first_names, surnames_folded = fold(first), fold(surnames)
    return NameList(
        first_names=first_names,
        surnames=surnames_folded,
        all_names=first_names | surnames_folded,
        standalone_surnames=fold(standalone),
        not_names=not_names,
    )
