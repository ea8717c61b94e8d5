#!/usr/bin/env python3
# Generates src/st_words_data.c and src/st_words_data.h from the word lists
# below (public knowledge, written by the stance team).  Run from anywhere:
#   python3 scripts/gen-words.py
# and commit the two generated files with the change to this script.
lists = {}
import os
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
lists['speech_verb'] = """
say says said saying tell tells told telling add adds added adding warn warns warned warning
vow vows vowed vowing insist insists insisted insisting stress stresses stressed stressing
write writes wrote writing tweet tweets tweeted tweeting post posts posted posting note notes noted noting
declare declares declared declaring argue argues argued arguing caution cautions cautioned cautioning
urge urges urged urging pledge pledges pledged pledging promise promises promised promising
threaten threatens threatened threatening offer offers offered offering announce announces announced announcing
reply replies replied replying respond responds responded responding explain explains explained explaining
answered answering
ask asks asked asking continue continues continued continuing emphasize emphasizes emphasized emphasizing
emphasise emphasises emphasised emphasising acknowledge acknowledges acknowledged acknowledging
admit admits admitted admitting complain complains complained complaining accuse accuses accused accusing
repeat repeats repeated repeating claim claims claimed claiming assert asserts asserted asserting
maintain maintains maintained maintaining suggest suggests suggested suggesting propose proposes proposed proposing
describe describes described describing call calls called calling charge charges charged charging
predict predicts predicted predicting concede concedes conceded conceding remark remarks remarked remarking
observe observes observed observing recall recalls recalled recalling signal signals signalled signaled signalling signaling
demand demands demanded demanding agree agrees agreed agreeing reiterate reiterates reiterated reiterating
deny denies denied denying thank thanks thanked thanking welcome welcomes welcomed welcoming
condemn condemns condemned condemning criticize criticizes criticized criticizing criticise criticises criticised criticising
stated stating tell reads read quipped quip quips retorted retort retorts
comment comments commented commenting mention mentions mentioned mentioning
confirm confirms confirmed confirming boast boasts boasted boasting affirm affirms affirmed
predicts vowing hint hints hinted hinting acknowledge counter countered countering
brand brands branded branding dismiss dismisses dismissed dismissing label labels labelled labeled
reassure reassures reassured reassuring appeal appeals appealed appealing plead pleads pleaded pleading
allege alleges alleged alleging caution lament laments lamented lamenting
blame blames blamed blaming
"""
lists['verbish'] = """
is are was were be been being has have had having do does did will would can could shall should may might must
drew draws took takes made makes gave gives met meets faces faced spoke speaks went goes came comes sent sends
held holds left leaves kept keeps began begins saw sees got gets put puts set sets ran runs won wins lost loses
led leads wants wanted needs needed hopes hoped expects expected plans planned seeks sought wanted tried tries
laid lays headed heads visited visits met meets rejected rejects accepted accepts joined joins sees saw
struck stood spoke fought brought bought thought sought taught caught sold felt slept swept shot hit cut let fed fled spent built lent meant dealt paid rose chose broke froze drove shook woke wore tore swore threw grew knew flew blew showed ran became sat forgot strikes stands speaks fights brings thinks seeks sells feels hits cuts lets flees spends builds means deals pays rises chooses breaks drives shakes wears throws grows knows flies shows runs becomes sits forgets
remains remained insisted urges opposes opposed supports supported backs backed rejects signed signs launched launches released releases issued issues hosted hosts addressed addresses welcomed
"""
lists['aux_adverb'] = """
not never n't cannot could should may might must can shall
twice thrice jointly together both all too just even only ever finally formally
also meanwhile then later again earlier still once today yesterday now further similarly repeatedly instead
has have had was were is are will would did does had already reportedly separately subsequently quickly
later publicly privately previously recently last night this week on monday tuesday wednesday thursday friday saturday sunday
"""
# Offices in the English and Commonwealth style join "General" to the
# office word with a hyphen ("Commissioner-General", "Auditor-General",
# "Solicitor-General"): one title word, which news writes between a
# body's name and the holder's ("Revenue Authority Commissioner-General
# X said").
lists['title'] = """
president vice prime minister ministers secretary chancellor senator sen. rep. representative gen. general col. colonel
lt. lieutenant maj. major capt. captain sgt. sergeant adm. admiral cmdr. commander brig. brigadier supt. insp.
ambassador mr. mrs. ms. dr. prof. professor ir.
king queen prince princess sheikh emir pope governor gov. mayor speaker leader envoy commissioner director chairman chairwoman
chair ceo premier deputy foreign defence defense interior finance trade economy justice health energy state
spokesman spokeswoman spokesperson chief chiefs head officer minister-president president-elect
supreme marshal field judge justice attorney congressman congresswoman lawmaker mp sir lord lady dame
special undersecretary under-secretary assistant acting former top senior first
executive secretary-general director-general attorney-general administrator superintendent inspector chairperson counsel coordinator negotiator delegate adviser advisor aide economist rapporteur treasurer vice-president vice-chair sheriff prefect sub-prefect magistrate activist observer candidate opposition union general-secretary rev. father sister brother imam rabbi bishop cardinal archbishop patriarch crown elder
commissioner-general inspector-general auditor-general solicitor-general governor-general registrar-general
accountant-general comptroller-general surveyor-general prosecutor-general procurator-general postmaster-general
"""
lists['role'] = """
minister president secretary chancellor senator general colonel commander ambassador leader envoy commissioner director
chairman chairwoman chair ceo premier spokesman spokeswoman spokesperson chief official officials diplomat diplomats negotiator
negotiators observer observers activist adviser advisor aide candidate executive analyst lawmaker lawmakers governor mayor prefect sub-prefect king queen prince emir admiral prosecutor judge minister spokespeople
ministry department government administration statement agency embassy union company army military council commission
office cabinet presidency kremlin white house pentagon palace campaign party parliament committee treasury delegation
secretariat mission curator attache attaché attaches attachés
"""
lists['org_head'] = """
ministry ministries department kremlin pentagon house council commission bureau office agency agencies forces troops army navy
party government parliament congress senate court bank union organization organisation alliance committee embassy
administration police guard workers corps company corporation corp. inc. group assembly cabinet secretariat authority
authorities service media nato un eu uaw who imf opec asean ecowas ministry statement command headquarters palace
federation association league affairs coalition front movement institute centre center foundation fund times news tass xinhua reuters
treasury delegation confederation force directorate mission missions corp inc ltd llc plc gmbh limited incorporated
academy academies presidency university universities forum forums market
inspectorate inspectorates chamber guild syndicate
"""
lists['place'] = """
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain bangladesh
barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burkina burundi cambodia
cameroon canada chad chile china colombia comoros congo croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt
eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada guatemala guinea
guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya
kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar
malawi malaysia maldives mali malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro morocco
mozambique myanmar namibia nauru nepal netherlands nicaragua niger nigeria norway oman pakistan palau palestine panama
paraguay peru philippines poland portugal qatar romania russia rwanda samoa senegal serbia seychelles singapore slovakia
slovenia somalia spain sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia
turkey türkiye turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe
britain europe hague gambia bahamas arabia korea africa emirates kingdom states united arab republic gaza
washington moscow beijing kyiv kiev tehran london paris berlin tokyo seoul pyongyang taipei ankara brussels jerusalem
damascus baghdad kabul islamabad riyadh cairo minsk tbilisi yerevan baku caracas havana ottawa canberra rome madrid
warsaw vilnius riga tallinn helsinki stockholm oslo copenhagen budapest belgrade pristina sarajevo chisinau bucharest
sofia athens khartoum addis asmara nairobi kinshasa kigali tripoli doha abu dhabi muscat sanaa beirut amman manila
hanoi jakarta delhi dhaka kathmandu bangkok canberra brasilia pretoria abuja bamako niamey ouagadougou dakar dili
lanka zealand macedonia papua tobago herzegovina bissau vatican barbuda antigua grenadines faso kitts nevis
greenland crimea abkhazia transnistria karabakh kashmir tibet xinjiang donbas donetsk luhansk sahara timor
timor-leste guinea-bissau bosnia-herzegovina vienna bern prague bratislava ljubljana zagreb podgorica skopje tirana dublin lisbon amsterdam
valletta nicosia reykjavik vaduz thimphu colombo naypyidaw naypyitaw vientiane phnom penh kuala lumpur
ulaanbaatar astana bishkek dushanbe tashkent ashgabat manama dubai ramallah algiers tunis rabat nouakchott
banjul conakry freetown monrovia yamoussoukro abidjan accra lome lomé cotonou yaounde yaoundé malabo
libreville brazzaville bangui juba mogadishu kampala bujumbura gitega dodoma lusaka lilongwe harare maputo
gaborone windhoek maseru mbabane antananarivo moroni praia luanda belmopan tegucigalpa managua bogota bogotá
quito asuncion asunción montevideo georgetown paramaribo nassau bridgetown castries roseau basseterre suva
moresby honiara apia funafuti tarawa majuro palikir
"""
lists['nationality'] = """
u.s. us american russian ukrainian chinese iranian israeli palestinian british french german polish italian spanish
japanese korean north south indian pakistani turkish syrian iraqi saudi emirati qatari egyptian sudanese ethiopian
eritrean kenyan nigerian malian nigerien venezuelan guyanese cuban mexican brazilian canadian australian european
western eastern belarusian georgian armenian azerbaijani serbian kosovar bosnian moldovan lithuanian latvian estonian
finnish swedish norwegian danish dutch belgian swiss austrian hungarian czech slovak romanian bulgarian greek
african asian arab lebanese jordanian yemeni libyan afghan taiwanese vietnamese filipino thai indonesian malaysian u.k. uk u.n. un e.u. eu
nato kremlin white house
argentine argentinian chilean peruvian bolivian colombian ecuadorian paraguayan uruguayan guatemalan honduran
salvadoran salvadorean nicaraguan rican panamanian dominican haitian jamaican belizean trinidadian barbadian
bahamian surinamese portuguese irish icelandic croatian slovenian montenegrin macedonian albanian maltese
cypriot scottish welsh kazakh kazakhstani kyrgyz tajik uzbek turkmen mongolian nepali nepalese bangladeshi
lankan bhutanese burmese cambodian laotian lao singaporean bruneian timorese papuan fijian samoan tongan
vanuatuan moroccan algerian tunisian mauritanian senegalese gambian guinean leonean liberian ivorian ghanaian
togolese beninese burkinabe chadian cameroonian gabonese congolese angolan namibian zambian zimbabwean
malawian mozambican tanzanian ugandan rwandan burundian somali djiboutian malagasy mauritian seychellois
comorian verdean bahraini kuwaiti omani kurdish persian chechen uyghur tibetan
"""
lists['not_name'] = """
the a an but and or so yet if when while after before as since because although though however meanwhile moreover
additionally recently earlier later also then still now today yesterday tonight this that these those there here
in on at by for from to with without of about over under into onto upon between among through during against
monday tuesday wednesday thursday friday saturday sunday overnight
january february march april may june july august september october november december
jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.
related reuters ap afp update breaking photo video watch read more comment comments
he she they it we i you his her their its our my your who what which where why how
no not yes all some many most several few both each every any other such
first second third last next new old
"""
lists['preposition'] = """
with to from against of for by at in on about into onto upon between among through during over under toward towards
across around behind beyond near alongside like than via per amid despite including outside inside
"""
# Lower-case particles inside a person's name: European and Arabic
# ("van der", "de la", "bin"), Maasai "ole", Oshiwambo "ya", Kikuyu "wa"
# and Kalenjin "arap" ("Daniel arap Moi"), Malay "binti" ("daughter
# of"), Hassaniya "ould" ("son of") and "mint" ("daughter of") and
# Spanish "de los", "de las".
# News writes them lower case
# inside the name and capitalised where a sentence opens on the surname
# ("Ya Toivo said").  None is an ordinary English word on its own.
lists['name_particle'] = """
de del della der den van von al el bin ibn da das dos du la le di ter ten bint abu ole ya wa arap es
binti ould mint los las
"""
# Common nouns for kinds of body that are no institution word of a name:
# a story refers back with them to a body it named ("EGAT ... the
# utility said", "Aerolineas Argentinas ... The airline said", "the
# regional bloc said").  Read only after a determiner, in lower case.
lists['body_kind'] = """
utility utilities airline carrier bloc firm operator lender insurer miner producer exporter importer
manufacturer retailer broadcaster conglomerate consortium regulator watchdog cooperative developer
"""
# A company's legal form after its name ("Tien Shan Gold Corp", "Arvo
# Mining Ltd", "Kessler Bau AG"): news style drops it on later
# references ("Arvo Mining said").  Read only as the last word of a
# body's name, in any case.
lists['company_suffix'] = """
corp corporation inc incorporated ltd limited llc plc gmbh ag sa nv spa bhd tbk
"""
# Malay honorifics before a name ("Datuk Seri Azman", "Tan Sri Kamal",
# "Haji Osman"): conferred ranks that news writes before the name once and
# drops after, so they are no part of it.  'honorific' words stand alone
# before a name; 'honorific_rank' words are names too ("Tan", "Sri
# Mulyani", "Puan Maharani") and count only in a run of two or more
# ("Tan Sri", "Toh Puan", "Datuk Seri").  Read only at a name's start.
lists['honorific'] = """
datuk dato datin tun haji hajah
"""
lists['honorific_rank'] = """
tan toh sri seri puan
"""
# Documents a body or person issues, which news lets speak for their
# owner ("The central bank's complaint accuses", "Its letter says", "the
# court's ruling said"): read only after an owner's possessive ("X's",
# "its", "their", "his", "her"), in lower case.
lists['document'] = """
statement statements communique complaint complaints lawsuit suit filing filings petition letter report
resolution memo memorandum note submission motion indictment affidavit ruling judgment judgement
"""
# Prepositions and articles of other languages that join capitalised
# words inside a body's name ("Wasser für den Sahel", "Médecins pour le
# Développement", "Fundação do Sol", "Unión por la Paz"): read only
# between name words, never opening a name, since several are also
# English words ("do", "sans").
lists['name_link'] = """
für fur pour sans sur aux au do des les los las und zur zum dem voor för och para por dei degli delle dello het
"""
# Records of counts and measures that a capitalised word only qualifies
# ("according to Soviet-era maps", "according to UN figures", "according
# to Census Bureau estimates"): after "according to", such a phrase names
# where a fact comes from, not who speaks a quote, so the quote keeps the
# sentence's speaker.  Read only as the lower-case word ending the phrase.
lists['record'] = """
map maps record records figure figures estimate estimates data statistics stats count counts tally tallies
calculation calculations census survey surveys poll polls chart charts projection projections forecast forecasts
ranking rankings registry registries ledger ledgers log logs archive archives imagery
"""
# Armed and uniformed services ("the Somali Navy", "the Ghanaian Army
# and Air Force", "the Philippine Coast Guard"): after a nationality,
# two of them joined by "and" are one body, the nation's combined force
# (services_joined).  Read only as capitalised words; two-word names are
# written with "_" (st_words_has_pair).
lists['service'] = """
navy army marines coastguard gendarmerie coast_guard air_force marine_corps border_guard
"""
# Words for a kind of place inside a state ("the Sakhalin region",
# "Kherson oblast"): the place an institution serves may end on one, and
# it belongs to the body's name ("the Border Service for the Sakhalin
# region").  Read only right after the place's name (read_np).
lists['region'] = """
region province district county oblast governorate prefecture
"""
# Particles of descent, "son (daughter) of", that open the father's name
# inside a person's ("Suleiman bin Hamad Khamis"; Malay "binti",
# Hassaniya "ould" and "mint"): news names such a person later by them ("Bin Hamad
# said", "Ould Bah said").
lists['descent'] = """
bin ibn bint binti ould mint
"""
# Places whose name carries its article ("The Hague", "The Gambia",
# "The Bahamas"): after "the", the article is part of the name the
# reader gives the body.
lists['article_place'] = """
hague gambia bahamas
"""
# Words a story uses to refer back to the armed group, party or alliance
# it has just named ("The M23 said ... the rebel group said"), as it does
# with "the company" and "the party" (role words already).  Not "police"
# or "court": those are too often another body than the story's.
lists['collective'] = """
group movement coalition alliance organisation organization
"""
# The documents (of the document list) that speak for a body with no
# owner named before them ("the statement said", "an ADB statement");
# after a possessive any document of the list does.
lists['issued_document'] = """
statement communique
"""
# "a", "an", and the quantifiers that, like them, open a phrase naming
# one thing ("any European reply", "every Water Board promise", "another
# union call"): a verb in its bare form cannot have such a phrase for
# subject (indefinite_head).  Not "each", which also follows a plural
# subject ("they each call for").
lists['singular_opener'] = """
a an any every another
"""
# Words other than the singular openers that open a noun phrase as a
# determiner does but say how many or which ("no Kenyan answer", "this
# French proposal", "our offer"): what follows is a noun phrase, never a
# subject and its verb.  They also open a plural or follow a plural
# subject, so indefinite_head must not take them.  Not "that": it also
# opens a clause ("said that Greek farmers ...").
lists['quantifier'] = """
each no some this these those our my your
"""
# Words before a day or month that make it a time, not a name ("on
# Monday", "last Friday", "this March"): the reader steps over the pair
# between a subject and its verb.
lists['day_opener'] = """
on last this
"""
# Verbs of naming ("the shoal, which Manila calls Ayungin", "what they
# call '...'", "which Beijing termed a '...'"): in a relative clause such
# a verb gives a name to a thing and reports only the quote that is its
# object (naming_clause).
lists['naming_verb'] = """
call calls called dubbed dubs describes described terms termed
"""
# The forms of "call", which with "off" cancel and say nothing ("would
# not call off the strike"): no verb of speech there.
lists['call_form'] = """
call calls called calling
"""
# Forms of "be" that make "told" or "asked" after them passive ("the
# ambassador had been told that", "she was asked"): the subject heard the
# words and said none of them (addressee_passive).
lists['passive_be'] = """
been was were being is are
"""
# Modals ("would", "will", "could") that make an act one still to come,
# and "had", "has", "have", the perfect that in a reported clause tells of
# an act gone by ("X said Nigeria had asked for '...'"): either way the
# quoted words are the reporter's own (is_retold_aux).
lists['retold_aux'] = """
would will could should might may shall had has have
"""
# The irregular pasts of the speech verb list ("said", "told", "wrote",
# "read"): no "-ed" ending shows them past (bare_speech_form), and after
# "that" or "which" they are a relative clause's verb ("banners that
# read", speech_verb_use).
lists['irregular_speech_past'] = """
said told wrote read
"""
# Words that open a sentence's time phrase before its subject ("Late on
# Tuesday Beijing said", "Early this week the ministry", "Hours later
# she said", "Shortly after midnight"): capitalised there, but no name
# when a word of time follows (time_opening); "Early said" keeps a
# surname.
# Military ranks: titles that name no office ("Lieutenant General X"),
# so the rank's holder may still hold an office the story gave an
# unnamed subject before (hand_on_unnamed_role).
lists['rank'] = """
general colonel commander admiral lieutenant major captain sergeant brigadier marshal
gen. col. lt. maj. capt. sgt. adm. cmdr. brig.
"""
lists['time_opener'] = """
late early hours days moments minutes shortly soon
"""
# Points of the compass that name a region inside a body's name: news
# joins two with "and" ("Common Market for Eastern and Southern Africa",
# "the East and Central African Office"), one field of the body, never
# a person ("eastern" and "western" are also nationality words).
lists['compass'] = """
east eastern west western north northern south southern central
"""
# Adjectives that open a field of a body's or a title's portfolio
# ("Public Enterprises", "Rural Affairs", "Social Services"): after
# "and" in a body's name they mark two capitalised words as its last
# field, never a person's given name and surname ("the Ministry of
# Health and John Mwangi said").
lists['field_modifier'] = """
public national social rural urban local natural economic internal regional civil cultural environmental
industrial agricultural financial judicial constitutional technical vocational higher basic primary secondary
"""
# Bodies a state keeps abroad, or an organisation in the field, that
# news names with the place they sit in or are sent to ("the U.S.
# Embassy in Quito", "the Delegation of the European Union to Senegal",
# "the UN Mission in South Sudan"): the place is part of the body's
# name, where after other institution words it only says where the body
# sits ("the Ministry of Health in Nairobi").  A High Commission is the
# embassy one Commonwealth state keeps in another: only the two words
# together are one ("the European Commission in Brussels" sits there).
lists['seat_head'] = """
embassy consulate consulate-general delegation mission office representation legation
high_commission
"""
# Pasts of verbs of speech whose object is who hears the words: after
# a passive "be" ("had been warned", "was told") their subject heard,
# never said, the quoted words.
lists['hearer_verb'] = """
told asked warned urged reminded assured informed advised
"""
# Titles that are also given names or honorifics a person is named by
# ("Prince Kerkula Dolo", "Emir Hadzic", "Sheikh Omar Hersi"): before a
# name they still give the person the role, but the name keeps them, as
# the story's own full name for the person does.
lists['name_title'] = """
prince princess emir sheikh
"""
# Institution words only when capitalised ("the National Order of
# Pharmacists", "the Order of Lawyers said"): in lower case the word is
# a command or a sequence ("a court order", "in order to", "the order of
# the day").  The tokenizer gives a capitalised one the org_head bit.
# "Watch" ends a monitoring body's name ("Human Rights Watch", "Election
# Watch"); in lower case it is the verb, and a capital one opening a
# sentence is web boilerplate ("Watch: ..."), so it stays in not_name
# too and joins a name only after a name word (listed_name_part).
lists['cap_org_head'] = """
order watch
"""
# Divisions of a text that a number names ("Article 5 says", "Rule 7
# states", "Section 12 reads"): a name and a number before a speech verb
# are otherwise a broadcaster and its channel ("Rossiya 1 said", "France
# 24 reported"), which the reader joins (channel_number).
lists['division'] = """
article articles section sections clause clauses chapter chapters paragraph paragraphs rule rules annex
part item point amendment protocol schedule title appendix
"""
caps = """
washington:United States moscow:Russia beijing:China kyiv:Ukraine kiev:Ukraine tehran:Iran london:Britain paris:France
berlin:Germany tokyo:Japan seoul:South Korea pyongyang:North Korea taipei:Taiwan ankara:Turkey brussels:European Union
jerusalem:Israel damascus:Syria baghdad:Iraq kabul:Afghanistan islamabad:Pakistan riyadh:Saudi Arabia cairo:Egypt
minsk:Belarus tbilisi:Georgia yerevan:Armenia baku:Azerbaijan caracas:Venezuela havana:Cuba ottawa:Canada
canberra:Australia rome:Italy madrid:Spain warsaw:Poland vilnius:Lithuania riga:Latvia tallinn:Estonia
helsinki:Finland stockholm:Sweden oslo:Norway copenhagen:Denmark budapest:Hungary belgrade:Serbia pristina:Kosovo
sarajevo:Bosnia chisinau:Moldova bucharest:Romania sofia:Bulgaria athens:Greece khartoum:Sudan asmara:Eritrea
nairobi:Kenya kinshasa:Congo kigali:Rwanda tripoli:Libya doha:Qatar muscat:Oman sanaa:Yemen beirut:Lebanon amman:Jordan
manila:Philippines hanoi:Vietnam jakarta:Indonesia delhi:India dhaka:Bangladesh bangkok:Thailand brasilia:Brazil
pretoria:South Africa abuja:Nigeria bamako:Mali niamey:Niger ouagadougou:Burkina Faso dakar:Senegal dili:Timor-Leste
vienna:Austria
bern:Switzerland
prague:Czech Republic
bratislava:Slovakia
ljubljana:Slovenia
zagreb:Croatia
podgorica:Montenegro
skopje:North Macedonia
tirana:Albania
dublin:Ireland
lisbon:Portugal
amsterdam:Netherlands
valletta:Malta
nicosia:Cyprus
reykjavik:Iceland
thimphu:Bhutan
colombo:Sri Lanka
naypyidaw:Myanmar
naypyitaw:Myanmar
vientiane:Laos
ulaanbaatar:Mongolia
astana:Kazakhstan
bishkek:Kyrgyzstan
dushanbe:Tajikistan
tashkent:Uzbekistan
ashgabat:Turkmenistan
manama:Bahrain
algiers:Algeria
tunis:Tunisia
rabat:Morocco
nouakchott:Mauritania
banjul:Gambia
conakry:Guinea
freetown:Sierra Leone
monrovia:Liberia
yamoussoukro:Ivory Coast
accra:Ghana
lome:Togo
lomé:Togo
yaounde:Cameroon
yaoundé:Cameroon
malabo:Equatorial Guinea
libreville:Gabon
brazzaville:Republic of the Congo
bangui:Central African Republic
juba:South Sudan
mogadishu:Somalia
kampala:Uganda
bujumbura:Burundi
gitega:Burundi
dodoma:Tanzania
lusaka:Zambia
lilongwe:Malawi
harare:Zimbabwe
maputo:Mozambique
gaborone:Botswana
windhoek:Namibia
maseru:Lesotho
mbabane:Eswatini
antananarivo:Madagascar
moroni:Comoros
praia:Cape Verde
luanda:Angola
belmopan:Belize
tegucigalpa:Honduras
managua:Nicaragua
bogota:Colombia
bogotá:Colombia
quito:Ecuador
asuncion:Paraguay
asunción:Paraguay
montevideo:Uruguay
paramaribo:Suriname
nassau:Bahamas
bridgetown:Barbados
castries:Saint Lucia
roseau:Dominica
basseterre:Saint Kitts and Nevis
suva:Fiji
honiara:Solomon Islands
apia:Samoa
funafuti:Tuvalu
tarawa:Kiribati
majuro:Marshall Islands
palikir:Micronesia
"""
# Capitals of two words, written with "_" for the space (the word lists
# above hold single words only).  The reader asks them of a name of
# two capitalised words ("San Salvador said"), which it would otherwise
# read as a person's first name and surname, or of three with a
# lower-case name particle between ("Dar es Salaam").  "New" opens no
# name elsewhere (not_name), but does open a capital ("New Delhi").
caps += """
san_salvador:El Salvador buenos_aires:Argentina santo_domingo:Dominican Republic kuala_lumpur:Malaysia
phnom_penh:Cambodia abu_dhabi:United Arab Emirates addis_ababa:Ethiopia port_moresby:Papua New Guinea
new_delhi:India mexico_city:Mexico guatemala_city:Guatemala panama_city:Panama kuwait_city:Kuwait
san_jose:Costa Rica san_josé:Costa Rica la_paz:Bolivia port_louis:Mauritius port_vila:Vanuatu
dar_es_salaam:Tanzania bandar_seri_begawan:Brunei
"""
import re
out = ['/* st_words_data.c - the word lists behind st_words.h, sorted for',
       ' * binary search (tests/test_words.c checks the order).  Public',
       ' * knowledge, written by the stance team. */',
       '#include "st_words_data.h"', '']
names = []
pair_lists = []  # (name, its two-word entries), in list order
for name, text in lists.items():
    # An entry of two words is written with "_" for the space, as the
    # capitals below are ("coast_guard"); it goes to the list's pairs
    # (st_words_has_pair), never to the one-word table.
    entries = set(w.lower() for w in text.split())
    words = sorted(w for w in entries if '_' not in w)
    pairs2 = sorted(w.replace('_', ' ') for w in entries if '_' in w)
    assert all(len(w.split(' ')) == 2 for w in pairs2), name
    pair_lists.append((name, pairs2))
    out.append(f'const char *const st_words_{name}[] = {{')
    line = '   '
    for w in words:
        item = ' "' + w + '",'
        if len(line) + len(item) > 78:
            out.append(line); line = '   '
        line += item
    out.append(line)
    out.append('};')
    out.append(f'const size_t st_words_{name}_count = {len(words)};')
    out.append('')
    if pairs2:
        out.append(f'static const char *const {name}_pairs[] = {{')
        out += [f'    "{w}",' for w in pairs2]
        out.append('};')
        out.append('')
    names.append(name)
out.append('/* Each list\'s entries of two words ("coast guard"), sorted; by')
out.append(' * st_word_list (list order), {NULL, 0} for a list of single words. */')
out.append('const st_word_pairs st_words_pairs[] = {')
for name, pairs2 in pair_lists:
    out.append(f'    {{{name}_pairs, {len(pairs2)}}},' if pairs2 else '    {NULL, 0},')
out.append('};')
out.append(f'const size_t st_words_pairs_count = {len(pair_lists)};')
out.append('')
pairs = sorted((a.lower().replace('_', ' '), b) for a, b in (p.split(':') for p in re.findall(r'\S+:[^:]+?(?=\s+\S+:|\s*$)', caps.strip().replace('\n', ' '))))
out.append('const st_capital st_words_capitals[] = {')
for a, b in pairs:
    out.append(f'    {{"{a}", "{b.strip()}"}},')
out.append('};')
out.append(f'const size_t st_words_capitals_count = {len(pairs)};')
open(os.path.join(ROOT, 'src', 'st_words_data.c'), 'w').write('\n'.join(out) + '\n')
h = ['/* st_words_data.h - sorted word lists (see st_words_data.c). */',
     '#ifndef ST_WORDS_DATA_H', '#define ST_WORDS_DATA_H', '#include <stddef.h>', '', '#include "st_words.h"', '',
     'typedef struct st_capital { const char *capital; const char *country; } st_capital;',
     'typedef struct st_word_pairs { const char *const *pairs; size_t count; } st_word_pairs;']
for n in names:
    h.append(f'extern const char *const st_words_{n}[];')
    h.append(f'extern const size_t st_words_{n}_count;')
h += ['extern const st_word_pairs st_words_pairs[];', 'extern const size_t st_words_pairs_count;']
h += ['extern const st_capital st_words_capitals[];', 'extern const size_t st_words_capitals_count;', '', '#endif']
open(os.path.join(ROOT, 'src', 'st_words_data.h'), 'w').write('\n'.join(h) + '\n')
print(len(pairs), [ (n, len(set(lists[n].split()))) for n in names])

# One static hash table over every list: a word's lists as a bit mask,
# found with one FNV-1a hash of the lower-cased word (same as st_words.c).
order = list(lists.keys())
# A token keeps its lists as bits of an st_list_bits (st_words_lists,
# st_words8, the reader's token): 64 lists at most.
assert len(order) <= 64, 'more lists than bits of st_list_bits'
masks = {}
for bit, name in enumerate(order):
    for w in set(x.lower() for x in lists[name].split() if '_' not in x):
        masks[w] = masks.get(w, 0) | (1 << bit)
size = 1
while size < 2 * len(masks): size *= 2
def fnv(w):
    h = 1469598103934665603
    for b in w.encode():
        h ^= b; h = (h * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h
table = [None] * size
for w in sorted(masks):
    i = fnv(w) & (size - 1)
    while table[i] is not None: i = (i + 1) & (size - 1)
    table[i] = w
lines = ['', '/* Every word of the lists above with the lists it is in (bit = list', ' * order of st_word_list), in an open-addressing table keyed by FNV-1a. */',
         f'const size_t st_words_table_size = {size};', 'const st_word_entry st_words_table[] = {']
for w in table:
    lines.append('    {NULL, 0},' if w is None else f'    {{"{w}", 0x{masks[w]:x}u}},' if masks[w] < 1 << 32 else f'    {{"{w}", 0x{masks[w]:x}ull}},')
lines.append('};')
open(os.path.join(ROOT, 'src', 'st_words_data.c'), 'a').write('\n'.join(lines) + '\n')
h = open(os.path.join(ROOT, 'src', 'st_words_data.h')).read()
h = h.replace('#endif', 'typedef struct st_word_entry { const char *word; st_list_bits lists; } st_word_entry;\nextern const st_word_entry st_words_table[];\nextern const size_t st_words_table_size;\n\n#endif')
open(os.path.join(ROOT, 'src', 'st_words_data.h'), 'w').write(h)
print('order', order)
